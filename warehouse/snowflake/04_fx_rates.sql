-- Currency normalisation. fx_rates is created empty: rates come from the studio's provider (one row per
-- day and currency, loaded by the studio's own job). Until it is filled, revenue_usd is NULL and
-- daily_revenue (03_marts.sql) shows the original currencies.
CREATE TABLE IF NOT EXISTS fx_rates (
  rate_date     DATE            NOT NULL,
  currency      VARCHAR(3)      NOT NULL,  -- ISO 4217, as in game_events_raw.currency
  usd_per_unit  DECIMAL(38, 12) NOT NULL,  -- 1 unit of currency is this many US dollars on rate_date
  source        VARCHAR,                   -- the provider, for audits
  PRIMARY KEY (rate_date, currency)
);

-- revenue per day and currency with its US dollar value on that day (NULL for a day without a rate)
CREATE OR REPLACE VIEW daily_revenue_usd AS
SELECT r.event_date, r.app_id, r.currency, r.purchases, r.revenue, r.revenue * fx.usd_per_unit AS revenue_usd
FROM daily_revenue r
LEFT JOIN fx_rates fx ON fx.rate_date = r.event_date AND fx.currency = r.currency;
