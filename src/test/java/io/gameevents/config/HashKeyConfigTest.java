package io.gameevents.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** dedup.hash_key: 128 bits as hex or base64, from the file or the environment, never shown. */
class HashKeyConfigTest {

  private static final String HEX = "00112233445566778899aabbccddeeff";

  private static JsonObject base() {
    return new JsonObject().put("auth", new JsonObject().put("api_keys", new io.vertx.core.json.JsonArray()
        .add(new JsonObject().put("id", "dev").put("key", "dev-secret").put("app_ids",
            new io.vertx.core.json.JsonArray().add("com.game.test")))));
  }

  @Test
  void hexAndBase64ReadAsTheSameKey() {
    byte[] bytes = HexFormat.of().parseHex(HEX);
    assertThat(dedup(HEX).hashKey()).isEqualTo(new HashKey(bytes));
    assertThat(dedup(Base64.getEncoder().encodeToString(bytes)).hashKey()).isEqualTo(new HashKey(bytes));
    assertThat(AppConfig.from(base()).dedup().hashKey()).isNull();
  }

  @Test
  void aKeyOfAnotherSizeIsRefusedWithoutEchoingIt() {
    String tooShort = "00112233445566778899aabbccddee";
    assertThatThrownBy(() -> dedup(tooShort)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("config key 'dedup.hash_key' must be 128 random bits as 32 hex characters or base64")
        .message().doesNotContain(tooShort);
    assertThatThrownBy(() -> dedup("not a key at all!")).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("config key 'dedup.hash_key'");
  }

  @Test
  void theEnvironmentVariableIsTextEvenWhenItLooksLikeANumber() throws Exception {
    String digits = "12345678901234567890123456789012";
    AppConfig config = ConfigLoader.load(base(), Map.of("GAME_EVENTS_DEDUP_HASH_KEY", digits))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(config.dedup().hashKey()).isEqualTo(new HashKey(HexFormat.of().parseHex(digits)));
  }

  @Test
  void theKeyIsNeverPrinted() {
    DedupConfig config = dedup(HEX);
    assertThat(config.toString()).doesNotContain(HEX).contains("HashKey[hidden]");
  }

  private static DedupConfig dedup(String key) {
    return AppConfig.from(base().put("dedup", new JsonObject().put("hash_key", key))).dedup();
  }
}
