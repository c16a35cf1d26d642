package io.gameevents.sdk;

import io.vertx.core.json.JsonObject;

import java.util.Currency;

/** An in-game purchase ({@code event_type} "purchase"); the amount is in micros of the currency. */
public final class PurchaseEvent extends GameEvent<PurchaseEvent> {

  public static final String TYPE = "purchase";
  /** The server's bounds. */
  static final int MAX_QUANTITY = 1_000_000_000;
  static final long MAX_AMOUNT_MICROS = 1_000_000_000_000_000L;

  private final String productId;
  private final int quantity;
  private final long amountMicros;
  private final String currency;

  private PurchaseEvent(Common common, String productId, int quantity, long amountMicros, String currency) {
    super(common);
    this.productId = requireText("product_id", productId);
    if (quantity < 1 || quantity > MAX_QUANTITY) {
      throw new IllegalArgumentException("quantity must be in [1, " + MAX_QUANTITY + "], got " + quantity);
    }
    if (amountMicros < 0 || amountMicros > MAX_AMOUNT_MICROS) {
      throw new IllegalArgumentException("amount_micros must be in [0, " + MAX_AMOUNT_MICROS + "], got "
          + amountMicros);
    }
    this.quantity = quantity;
    this.amountMicros = amountMicros;
    this.currency = requireCurrency(currency);
  }

  /**
   * A new purchase with a random event_id and occurred_at = now.
   *
   * @param amountMicros the price paid in millionths of the currency unit (4.99 EUR = 4_990_000)
   * @param currency     an ISO 4217 code known to {@link Currency}, upper case, e.g. "EUR"
   * @throws IllegalArgumentException naming the first invalid field
   */
  public static PurchaseEvent create(String playerId, String appId, String platform, String productId,
                                     int quantity, long amountMicros, String currency) {
    return new PurchaseEvent(Common.create(playerId, appId, platform), productId, quantity, amountMicros,
        currency);
  }

  /**
   * A purchase whose app_id and platform come from the client config
   * ({@link GameEventClientConfig.Builder#appId}, {@link GameEventClientConfig.Builder#platform}).
   */
  public static PurchaseEvent create(String playerId, String productId, int quantity, long amountMicros,
                                     String currency) {
    return create(playerId, null, null, productId, quantity, amountMicros, currency);
  }

  public String productId() {
    return productId;
  }

  public int quantity() {
    return quantity;
  }

  public long amountMicros() {
    return amountMicros;
  }

  public String currency() {
    return currency;
  }

  @Override
  public String eventType() {
    return TYPE;
  }

  @Override
  void writeTypeFields(JsonObject payload) {
    payload.put("product_id", productId)
        .put("quantity", quantity)
        .put("amount_micros", amountMicros)
        .put("currency", currency);
  }

  @Override
  PurchaseEvent withCommon(Common common) {
    return new PurchaseEvent(common, productId, quantity, amountMicros, currency);
  }

  private static String requireCurrency(String code) {
    if (code == null || !code.matches("[A-Z]{3}")) {
      throw new IllegalArgumentException("currency must be an upper-case ISO 4217 code, got '" + code + "'");
    }
    try {
      Currency.getInstance(code);
    } catch (IllegalArgumentException unknown) {
      throw new IllegalArgumentException("currency '" + code + "' is not an ISO 4217 code");
    }
    return code;
  }
}
