package io.gameevents.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** auth.api_keys[].allowed_origins: exact origins, brought to the form a browser sends. */
class AllowedOriginsConfigTest {

  private static AppConfig withOrigins(String... origins) {
    return AppConfig.from(new JsonObject().put("auth", new JsonObject().put("api_keys", new JsonArray()
        .add(new JsonObject().put("id", "web").put("key", "web-build-key").put("app_ids", new JsonArray().add("g"))
            .put("allowed_origins", new JsonArray(java.util.List.of((Object[]) origins)))))));
  }

  @Test
  void noOriginsByDefault() {
    AppConfig config = AppConfig.from(new JsonObject().put("auth", new JsonObject().put("api_keys", new JsonArray()
        .add(new JsonObject().put("id", "dev").put("key", "dev-secret").put("app_ids", new JsonArray().add("g"))))));
    assertThat(config.auth().apiKeys().get(0).allowedOrigins()).isEmpty();
  }

  @Test
  void originsAreLowerCasedAndLoseTheirDefaultPort() {
    assertThat(withOrigins("https://Play.Studio.com:443", "http://localhost:8080", "http://LOCALHOST:80")
        .auth().apiKeys().get(0).allowedOrigins())
        .containsExactly("https://play.studio.com", "http://localhost:8080", "http://localhost");
  }

  @Test
  void aWildcardIsRefused() {
    assertThatThrownBy(() -> withOrigins("*")).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("config key 'auth.api_keys[0].allowed_origins' lists \"*\": name each site exactly");
  }

  @Test
  void aPathOrTrailingSlashIsRefusedWithTheOriginToWrite() {
    assertThatThrownBy(() -> withOrigins("https://play.studio.com/")).hasMessage("config key "
        + "'auth.api_keys[0].allowed_origins' entry 'https://play.studio.com/' must be an origin only, "
        + "scheme://host[:port] without a path or a trailing slash, e.g. https://play.studio.com");
  }

  @Test
  void somethingElseThanAnHttpOriginIsRefused() {
    for (String origin : new String[] {"null", "play.studio.com", "file:///game/index.html", "ftp://studio.com"}) {
      assertThatThrownBy(() -> withOrigins(origin)).as(origin).isInstanceOf(ConfigException.class)
          .hasMessageContaining("'auth.api_keys[0].allowed_origins' entry '" + origin + "' must be an");
    }
  }
}
