package io.gameevents.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The published dev credentials never serve beyond loopback; the shipped configs are safe as they are. */
class PublishedCredentialsTest {

  private static final String DEV_KEY_SHA256 = "298754db2dbab6ec62605ceb0379eb7ee376580359449efe0caa3aa06cd56736";
  private static final String DEV_ADMIN_SHA256 = "f0f642b692ba908c91a9afe3c53878700b32e66c8132fc071109b4af48625d46";
  private static final String REAL_KEY_SHA256 = "a".repeat(64);

  private static JsonObject config(String host, JsonObject apiKey, JsonObject adminToken) {
    JsonObject config = new JsonObject()
        .put("auth", new JsonObject().put("api_keys", new JsonArray().add(apiKey.put("app_ids",
            new JsonArray().add("com.game.test")))))
        .put("admin", new JsonObject().put("tokens", new JsonArray().add(adminToken)));
    return host == null ? config : config.put("http", new JsonObject().put("host", host));
  }

  private static JsonObject devKey() {
    return new JsonObject().put("id", "dev").put("key", "dev-secret");
  }

  private static JsonObject realKey() {
    return new JsonObject().put("id", "game").put("sha256", REAL_KEY_SHA256);
  }

  private static JsonObject realToken() {
    return new JsonObject().put("id", "ops").put("sha256", "b".repeat(64));
  }

  private static JsonObject file(String name) throws Exception {
    return new JsonObject(Files.readString(Path.of(name)));
  }

  @Test
  void theHardcodedDigestsAreThoseOfThePublishedKeys() {
    assertThat(PublishedCredentials.BY_SHA256).containsExactlyInAnyOrderEntriesOf(Map.of(
        sha256("dev-secret"), "dev-secret", sha256("dev-admin-secret"), "dev-admin-secret"));
  }

  @Test
  void theBuiltInHostIsLoopback() {
    assertThat(AppConfig.from(config(null, realKey(), realToken())).http().host()).isEqualTo("127.0.0.1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0", "::", "[::]", "10.0.0.5", "192.0.2.1", "2001:db8::1", "events.studio.com"})
  void thePublishedApiKeyIsRefusedOffLoopback(String host) {
    assertThatThrownBy(() -> AppConfig.from(config(host, devKey(), realToken())))
        .isInstanceOf(ConfigException.class)
        .hasMessage("auth.api_keys[0] (id \"dev\") is the published development key \"dev-secret\", refused because"
            + " http.host " + host + " is not a loopback address: make a real one with 'java -jar game-events.jar"
            + " hash-key' and configure its sha256 (or set http.host to 127.0.0.1)");
  }

  @Test
  void thePublishedKeysAreRefusedAsTheirSha256Too() {
    assertThatThrownBy(() -> AppConfig.from(config("0.0.0.0",
        new JsonObject().put("id", "dev").put("sha256", DEV_KEY_SHA256.toUpperCase()), realToken())))
        .hasMessageStartingWith("auth.api_keys[0] (id \"dev\") is the published development key \"dev-secret\"");
    assertThatThrownBy(() -> AppConfig.from(config("0.0.0.0", realKey(),
        new JsonObject().put("id", "ops").put("sha256", DEV_ADMIN_SHA256))))
        .hasMessageStartingWith("admin.tokens[0] (id \"ops\") is the published development key \"dev-admin-secret\"");
  }

  @Test
  void thePublishedAdminTokenIsRefusedOffLoopback() {
    assertThatThrownBy(() -> AppConfig.from(config("0.0.0.0", realKey(),
        new JsonObject().put("id", "dev-admin").put("key", "dev-admin-secret"))))
        .hasMessageStartingWith("admin.tokens[0] (id \"dev-admin\") is the published development key "
            + "\"dev-admin-secret\", refused because http.host 0.0.0.0 is not a loopback address");
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "::1", "[::1]", "0:0:0:0:0:0:0:1", "localhost", "LocalHost"})
  void onLoopbackThePublishedCredentialsServe(String host) {
    AppConfig config = AppConfig.from(config(host, devKey(),
        new JsonObject().put("id", "dev-admin").put("key", "dev-admin-secret")));
    assertThat(config.auth().apiKeys()).hasSize(1);
  }

  @Test
  void realCredentialsServeOnEveryInterface() {
    assertThat(AppConfig.from(config("0.0.0.0", realKey(), realToken())).http().host()).isEqualTo("0.0.0.0");
  }

  @Test
  void theQuickStartConfigServesOnLoopbackOnlyWithMetricsAndDebuggerOnTheManagementPort() throws Exception {
    AppConfig config = AppConfig.from(file("conf/config.json"));
    assertThat(config.http().host()).isEqualTo("127.0.0.1");
    assertThat(config.http().managementPort()).hasValue(9000);
  }

  @Test
  void theQuickStartConfigOnEveryInterfaceIsRefused() throws Exception {
    JsonObject merged = ConfigLoader.merge(file("conf/config.json"), Map.of("GAME_EVENTS_HTTP_HOST", "0.0.0.0"));
    assertThatThrownBy(() -> AppConfig.from(merged)).hasMessageStartingWith(
        "auth.api_keys[0] (id \"dev\") is the published development key \"dev-secret\", refused because http.host"
            + " 0.0.0.0 is not a loopback address");
  }

  @Test
  void theClusterConfigFailsUntilItsPlaceholdersAreReplaced() throws Exception {
    assertThatThrownBy(() -> AppConfig.from(file("conf/cluster.json"))).isInstanceOf(ConfigException.class)
        .hasMessage("config key 'auth.api_keys[0].sha256' (id \"game\") is still a placeholder: make a key with"
            + " 'java -jar game-events.jar hash-key' and put its sha256 here");

    JsonObject keyReplaced = file("conf/cluster.json");
    keyReplaced.getJsonObject("auth").getJsonArray("api_keys").getJsonObject(0).put("sha256", REAL_KEY_SHA256);
    assertThatThrownBy(() -> AppConfig.from(keyReplaced))
        .hasMessage("config key 'cluster.secret' is still a placeholder: make one with `openssl rand -hex 32`, the"
            + " same on every member");

    keyReplaced.getJsonObject("cluster").put("secret", "c".repeat(64));
    assertThatThrownBy(() -> AppConfig.from(keyReplaced))
        .hasMessage("config key 'admin.tokens[0].sha256' (id \"ops\") is still a placeholder: make a key with"
            + " 'java -jar game-events.jar hash-key' and put its sha256 here");

    keyReplaced.getJsonObject("admin").getJsonArray("tokens").getJsonObject(0).put("sha256", "b".repeat(64));
    AppConfig config = AppConfig.from(keyReplaced);
    assertThat(config.http().managementPort()).hasValue(9000);
  }

  @Test
  void aPlainKeyPlaceholderIsRefusedToo() {
    assertThatThrownBy(() -> AppConfig.from(config(null,
        new JsonObject().put("id", "web").put("key", "replace-me-please"), realToken())))
        .hasMessage("config key 'auth.api_keys[0].key' (id \"web\") is still a placeholder: make a key with"
            + " 'java -jar game-events.jar hash-key' and put its sha256 here");
  }

  private static String sha256(String text) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
