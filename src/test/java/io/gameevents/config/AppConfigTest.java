package io.gameevents.config;

import io.gameevents.config.LogConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppConfigTest {

  private static JsonObject minimal() {
    return new JsonObject().put("auth", new JsonObject().put("api_keys", new JsonArray()
        .add(new JsonObject().put("id", "dev").put("key", "dev-secret").put("app_ids", new JsonArray().add("com.game.test")))));
  }

  @Test
  void defaultsMatchTheDocumentedOnes() {
    AppConfig config = AppConfig.from(minimal());
    assertThat(config.http().port()).isEqualTo(8000);
    assertThat(config.http().maxBodyBytes()).isEqualTo(1024 * 1024);
    assertThat(config.http().maxEventBytes()).isEqualTo(32 * 1024);
    assertThat(config.http().maxBatchEvents()).isEqualTo(500);
    assertThat(config.dedup().windowSeconds()).isEqualTo(24 * 3600);
    assertThat(config.validation().maxFutureSeconds()).isEqualTo(24 * 3600);
    assertThat(config.validation().maxAgeSeconds()).isEqualTo(30L * 24 * 3600);
  }

  @Test
  void noCredentialsRefusesToStart() {
    assertThatThrownBy(() -> AppConfig.from(new JsonObject()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("no credentials configured");
  }

  @Test
  void unknownKeyIsNamed() {
    JsonObject config = minimal().put("dedup", new JsonObject().put("instancs", 2));
    assertThatThrownBy(() -> AppConfig.from(config)).hasMessage("unknown config key 'dedup.instancs'");
  }

  @Test
  void unknownTopLevelSectionIsNamed() {
    assertThatThrownBy(() -> AppConfig.from(minimal().put("htp", new JsonObject())))
        .hasMessage("unknown config key 'htp'");
  }

  @Test
  void slowClientLimitsHaveDefaultsAndNamedBounds() {
    AppConfig defaults = AppConfig.from(minimal());
    assertThat(defaults.http().bodyTimeoutMs()).isEqualTo(15_000);
    assertThat(defaults.http().maxRequestsPerAddress()).isEqualTo(256);
    assertThatThrownBy(() -> AppConfig.from(minimal().put("http", new JsonObject().put("body_timeout_ms", 10))))
        .hasMessage("config key 'http.body_timeout_ms' must be between 100 and 600000 (was 10)");
    assertThatThrownBy(() -> AppConfig.from(minimal().put("http", new JsonObject().put("max_requests_per_address", 0))))
        .hasMessage("config key 'http.max_requests_per_address' must be between 1 and 10000000 (was 0)");
  }

  @Test
  void cleartextHttp2IsOffUnlessConfigured() {
    assertThat(AppConfig.from(minimal()).http().h2c()).isFalse();
    assertThat(AppConfig.from(minimal().put("http", new JsonObject().put("h2c", true))).http().h2c()).isTrue();
    assertThatThrownBy(() -> AppConfig.from(minimal().put("http", new JsonObject().put("h2c", "yes"))))
        .hasMessageContaining("http.h2c");
  }

  @Test
  void invalidValuesAreNamed() {
    assertThatThrownBy(() -> AppConfig.from(minimal().put("http", new JsonObject().put("port", "eighty"))))
        .hasMessage("config key 'http.port' must be a whole number");
    assertThatThrownBy(() -> AppConfig.from(minimal().put("http", new JsonObject().put("port", 70000))))
        .hasMessage("config key 'http.port' must be between 0 and 65535 (was 70000)");
    assertThatThrownBy(() -> AppConfig.from(minimal().put("delivery", "file")))
        .hasMessage("config key 'delivery' must be an object");
  }

  @Test
  void apiKeyNeedsExactlyOneOfKeyAndHash() {
    JsonObject both = new JsonObject().put("auth", new JsonObject().put("api_keys", new JsonArray().add(
        new JsonObject().put("id", "k").put("key", "dev-secret").put("sha256", "a".repeat(64))
            .put("app_ids", new JsonArray().add("*")))));
    assertThatThrownBy(() -> AppConfig.from(both)).hasMessageContaining("auth.api_keys[0].key");
  }

  @Test
  void rateLimitsAreOffByDefaultAndAKeyOrTheJwtTakesItsOwnOrTheDefault() {
    assertThat(AppConfig.from(minimal()).auth().apiKeys()).singleElement()
        .satisfies(key -> assertThat(key.rateLimit()).isNull());

    JsonObject auth = new JsonObject()
        .put("default_rate_limit", new JsonObject().put("events_per_second", 100).put("burst", 500))
        .put("api_keys", new JsonArray()
            .add(key("own").put("rate_limit", new JsonObject().put("events_per_second", 5).put("burst", 20)))
            .add(key("default"))
            .add(key("exempt").put("rate_limit", "off"))
            .add(key("one-second").put("rate_limit", new JsonObject().put("events_per_second", 7))))
        .put("jwt", new JsonObject().put("secret", "s".repeat(32)).put("audience", "game-events")
            .put("rate_limit", new JsonObject().put("events_per_second", 2).put("burst", 4)));
    AuthConfig config = AppConfig.from(new JsonObject().put("auth", auth)).auth();

    assertThat(config.apiKeys()).extracting(AuthConfig.ApiKey::rateLimit).containsExactly(
        limit(5, 20, 1), limit(100, 500, 10), null, limit(7, 7, 1));
    assertThat(config.jwt().rateLimit()).isEqualTo(limit(2, 4, 1));
    auth.getJsonObject("jwt").remove("rate_limit");
    assertThat(AppConfig.from(new JsonObject().put("auth", auth)).auth().jwt().rateLimit())
        .isEqualTo(limit(100, 500, 10));
  }

  /** The default per-address limit: a tenth of the key's rate (rounded up), and the key's burst. */
  private static RateLimitConfig limit(int eventsPerSecond, int burst, int perAddressEventsPerSecond) {
    return new RateLimitConfig(eventsPerSecond, burst, new RateLimitConfig(perAddressEventsPerSecond, burst));
  }

  @Test
  void aPerAddressLimitIsReadOrTurnedOffAndMayNotExceedTheKeys() {
    JsonObject limit = new JsonObject().put("events_per_second", 100).put("burst", 500)
        .put("per_address", new JsonObject().put("events_per_second", 5).put("burst", 50));
    JsonObject auth = new JsonObject().put("api_keys", new JsonArray().add(key("k").put("rate_limit", limit)));

    assertThat(AppConfig.from(new JsonObject().put("auth", auth)).auth().apiKeys().get(0).rateLimit())
        .isEqualTo(new RateLimitConfig(100, 500, new RateLimitConfig(5, 50)));
    limit.put("per_address", "off");
    assertThat(AppConfig.from(new JsonObject().put("auth", auth)).auth().apiKeys().get(0).rateLimit())
        .isEqualTo(new RateLimitConfig(100, 500));
    limit.put("per_address", new JsonObject().put("events_per_second", 101));
    assertThatThrownBy(() -> AppConfig.from(new JsonObject().put("auth", auth)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("auth.api_keys[0].rate_limit.per_address");
    limit.put("per_address", new JsonObject().put("events_per_second", 5).put("bursts", 5));
    assertThatThrownBy(() -> AppConfig.from(new JsonObject().put("auth", auth)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("auth.api_keys[0].rate_limit.per_address.bursts");
  }

  @Test
  void badRateLimitsAreOneLineNamingTheKey() {
    assertThatThrownBy(() -> withLimit(new JsonObject().put("events_per_second", 0)))
        .hasMessage("config key 'auth.api_keys[0].rate_limit.events_per_second' must be between 1 and 1000000 (was 0)");
    assertThatThrownBy(() -> withLimit(new JsonObject().put("events_per_second", 2.5)))
        .hasMessage("config key 'auth.api_keys[0].rate_limit.events_per_second' must be a whole number");
    assertThatThrownBy(() -> withLimit(new JsonObject().put("burst", 10)))
        .hasMessage("config key 'auth.api_keys[0].rate_limit.events_per_second' is required");
    assertThatThrownBy(() -> withLimit(new JsonObject().put("events_per_second", 5).put("burst", -1)))
        .hasMessage("config key 'auth.api_keys[0].rate_limit.burst' must be between 1 and 1000000 (was -1)");
    assertThatThrownBy(() -> withLimit(new JsonObject().put("events_per_second", 5).put("bursts", 10)))
        .hasMessage("unknown config key 'auth.api_keys[0].rate_limit.bursts'");
    assertThatThrownBy(() -> withLimit("none"))
        .hasMessage("config key 'auth.api_keys[0].rate_limit' must be an object "
            + "{\"events_per_second\": N, \"burst\": M} or \"off\"");
    assertThatThrownBy(() -> withLimit(5))
        .hasMessage("config key 'auth.api_keys[0].rate_limit' must be an object");
    JsonObject badDefault = minimal();
    badDefault.getJsonObject("auth").put("default_rate_limit", new JsonObject().put("events_per_second", "fast"));
    assertThatThrownBy(() -> AppConfig.from(badDefault))
        .hasMessage("config key 'auth.default_rate_limit.events_per_second' must be a whole number");
    JsonObject badJwt = new JsonObject().put("auth", new JsonObject().put("jwt", new JsonObject()
        .put("secret", "s".repeat(32)).put("audience", "game-events")
        .put("rate_limit", new JsonObject().put("events_per_second", 5).put("burst", 0))));
    assertThatThrownBy(() -> AppConfig.from(badJwt))
        .hasMessage("config key 'auth.jwt.rate_limit.burst' must be between 1 and 1000000 (was 0)");
  }

  private static JsonObject key(String id) {
    return new JsonObject().put("id", id).put("key", id + "-secret-key").put("app_ids", new JsonArray().add("a"));
  }

  private static AppConfig withLimit(Object limit) {
    return AppConfig.from(new JsonObject().put("auth", new JsonObject()
        .put("api_keys", new JsonArray().add(key("k").put("rate_limit", limit)))));
  }

  @Test
  void limitsThatContradictEachOtherAreRefused() {
    assertThatThrownBy(() -> AppConfig.from(minimal().put("dedup", new JsonObject().put("max_in_flight", 10))))
        .hasMessageStartingWith("config key 'dedup.max_in_flight' must be at least http.max_batch_events");
  }

  @Test
  void theSpoolHasDefaultsAndNamedBounds() {
    AppConfig config = AppConfig.from(minimal());
    assertThat(config.spool().directory()).isEqualTo("data/spool");
    assertThat(config.spool().maxBytes()).isEqualTo(8L << 30);
    assertThatThrownBy(() -> AppConfig.from(minimal().put("spool", new JsonObject().put("max_bytes", 10))))
        .hasMessageStartingWith("config key 'spool.max_bytes' must be");
  }

  @Test
  void secretsNeverAppearInToString() {
    AppConfig config = AppConfig.from(minimal());
    assertThat(config.toString()).doesNotContain("dev-secret");
  }

  @Test
  void jwtWithoutKeyMaterialRefusesToStart() {
    JsonObject config = new JsonObject().put("auth", new JsonObject().put("jwt", new JsonObject().put("algorithm", "RS256")));
    assertThatThrownBy(() -> AppConfig.from(config)).hasMessageContaining("auth.jwt.public_key_pem");
  }

  @Test
  void environmentOverridesTheFile() {
    JsonObject merged = minimal().put("http", new JsonObject().put("port", 8000))
        .put("GAME_EVENTS_HTTP_PORT", "9100")
        .put("GAME_EVENTS_SINK", "firehose")
        .put("GAME_EVENTS_FIREHOSE_STREAMS", "events-a,events-b")
        .put("GAME_EVENTS_FIREHOSE_AGGREGATE", "true")
        .put("GAME_EVENTS_SPOOL_DIRECTORY", "/var/lib/game-events/spool")
        .put("GAME_EVENTS_SPOOL_MAX_BYTES", "1073741824")
        .put("GAME_EVENTS_FORWARD_INSTANCES", "2")
        .put("GAME_EVENTS_API_KEYS", "[{\"id\":\"prod\",\"sha256\":\"" + "b".repeat(64) + "\",\"app_ids\":[\"*\"]}]");
    AppConfig config = AppConfig.from(ConfigLoader.applyEnvironment(merged));
    assertThat(config.http().port()).isEqualTo(9100);
    assertThat(config.spool().directory()).isEqualTo("/var/lib/game-events/spool");
    assertThat(config.spool().maxBytes()).isEqualTo(1L << 30);
    assertThat(config.spool().forwardInstances()).isEqualTo(2);
    assertThat(config.auth().apiKeys()).singleElement().satisfies(key -> assertThat(key.id()).isEqualTo("prod"));
  }

  @Test
  void logsAreJsonWithEveryRequestAndTenRejectionsASecondByDefault() {
    LogConfig log = AppConfig.from(minimal()).log();
    assertThat(log.format()).isEqualTo(LogConfig.Format.JSON);
    assertThat(log.accessEnabled()).isTrue();
    assertThat(log.accessSampleRate()).isEqualTo(1.0);
    assertThat(log.rejectionsPerSecond()).isEqualTo(10);
  }

  @Test
  void theLogSectionIsReadLikeTheOthers() {
    LogConfig log = AppConfig.from(minimal().put("log", new JsonObject().put("format", "text")
        .put("access", new JsonObject().put("enabled", false).put("sample_rate", 0.25))
        .put("rejections_per_second", 0))).log();
    assertThat(log).isEqualTo(new LogConfig(LogConfig.Format.TEXT, false, 0.25, 0));
    assertThat(AppConfig.from(minimal().put("log", new JsonObject().put("access", new JsonObject()
        .put("sample_rate", 0)))).log().accessSampleRate()).isZero();

    assertThatThrownBy(() -> AppConfig.from(minimal().put("log", new JsonObject().put("format", "xml"))))
        .hasMessage("config key 'log.format' must be one of [json, text] (was 'xml')");
    assertThatThrownBy(() -> AppConfig.from(minimal().put("log", new JsonObject().put("access", new JsonObject()
        .put("sample_rate", 1.5))))).hasMessage("config key 'log.access.sample_rate' must be between 0.0 and 1.0 (was 1.5)");
    assertThatThrownBy(() -> AppConfig.from(minimal().put("log", new JsonObject().put("access", new JsonObject()
        .put("sample_rate", "half"))))).hasMessage("config key 'log.access.sample_rate' must be a number");
    assertThatThrownBy(() -> AppConfig.from(minimal().put("log", new JsonObject().put("rejections_per_second", -1))))
        .hasMessageStartingWith("config key 'log.rejections_per_second' must be between 0 and");
    assertThatThrownBy(() -> AppConfig.from(minimal().put("log", new JsonObject().put("level", "DEBUG"))))
        .hasMessage("unknown config key 'log.level'");
    assertThatThrownBy(() -> AppConfig.from(minimal().put("log", new JsonObject().put("access", new JsonObject()
        .put("sampling", 1))))).hasMessage("unknown config key 'log.access.sampling'");
  }

  @Test
  void gameEventsLogFormatOverridesTheFile() {
    JsonObject merged = ConfigLoader.merge(minimal().put("log", new JsonObject().put("format", "json")),
        java.util.Map.of("GAME_EVENTS_LOG_FORMAT", "text"));
    assertThat(AppConfig.from(merged).log().format()).isEqualTo(LogConfig.Format.TEXT);
  }

  @Test
  void theManagementPortIsUnsetByDefaultAndComesFromTheEnvironment() {
    assertThat(AppConfig.from(minimal()).http().managementPort()).isEmpty();
    JsonObject merged = minimal().put("GAME_EVENTS_MANAGEMENT_PORT", "9102");
    assertThat(AppConfig.from(ConfigLoader.applyEnvironment(merged)).http().managementPort()).hasValue(9102);
  }

  @Test
  void aManagementPortMustBeAKnownOtherPort() {
    assertThatThrownBy(() -> AppConfig.from(minimal().put("http", new JsonObject().put("port", 9100)
        .put("management_port", 9100))))
        .hasMessage("config key 'http.management_port' must differ from http.port (both 9100)");
    assertThatThrownBy(() -> AppConfig.from(minimal().put("http", new JsonObject().put("management_port", 0))))
        .hasMessage("config key 'http.management_port' must be between 1 and 65535 (was 0)");
  }

  /**
   * The reference configs in conf/ parse (conf/cluster.json once its placeholder credentials are replaced, see
   * PublishedCredentialsTest), and name nothing but defaults and examples.
   */
  @Test
  void theReferenceConfigsParse() throws Exception {
    for (String file : List.of("conf/config.json", "conf/cluster.json")) {
      JsonObject json = new JsonObject(java.nio.file.Files.readString(java.nio.file.Path.of(file)));
      json.getJsonObject("auth").getJsonArray("api_keys").getJsonObject(0).remove("sha256");
      json.getJsonObject("auth").getJsonArray("api_keys").getJsonObject(0).put("key", "a-real-key-0123");
      json.getJsonObject("admin").getJsonArray("tokens").getJsonObject(0).remove("sha256");
      json.getJsonObject("admin").getJsonArray("tokens").getJsonObject(0).put("key", "a-real-token-0123");
      if (json.getJsonObject("cluster") != null) {
        json.getJsonObject("cluster").put("secret", "c".repeat(64));
      }
      AppConfig config = AppConfig.from(json);
      assertThat(config.http().port()).as(file).isEqualTo(8000);
    }
    JsonObject firehose = new JsonObject(java.nio.file.Files.readString(java.nio.file.Path.of("conf/config.json")));
    firehose.getJsonObject("delivery").put("sink", "firehose").getJsonObject("firehose").put("stream_name", "s");
    assertThat(AppConfig.from(firehose).spool().segmentSeconds()).isEqualTo(2);
  }
}
