package io.gameevents.config;

import io.vertx.config.impl.spi.EnvVariablesConfigStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The environment overrides the file, each value typed as vertx-config's environment store typed it (the
 * store, read through its JSON text, is the reference here: ConfigLoader used to go through it).
 */
class ConfigLoaderTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(Duration.ofSeconds(10).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  @Test
  void eachVariableIsTypedAsTheEnvironmentStoreTypedIt() throws Exception {
    List<String> values = List.of("8100", "-3", "007", "12345678901", "123456789012345678901234567890", "1.5",
        "1e3", "true", "TRUE", "False", "[\"a\", 2]", "{\"x\": 1}", "http,dedup", "a, b", "[broken", "plain text",
        " 12", "", "dev-secret");
    Map<String, String> environment = new LinkedHashMap<>();
    JsonArray keys = new JsonArray();
    for (int i = 0; i < values.size(); i++) {
      environment.put("V" + i, values.get(i));
      keys.add("V" + i);
    }
    JsonObject store = new JsonObject(new EnvVariablesConfigStore(vertx, false, keys, () -> environment).get()
        .toCompletionStage().toCompletableFuture().get());

    for (Map.Entry<String, String> variable : environment.entrySet()) {
      Object expected = store.getValue(variable.getKey());
      Object typed = ConfigLoader.typed(variable.getValue());
      assertThat(typed).as("'%s'", variable.getValue()).isEqualTo(expected);
      assertThat(typed.getClass()).as("'%s'", variable.getValue()).isEqualTo(expected.getClass());
    }
  }

  @Test
  void theEnvironmentOverridesTheFileAndABadValueFailsTheLoad() {
    JsonObject file = new JsonObject().put("http", new JsonObject().put("port", 8000).put("instances", 2))
        .put("auth", new JsonObject().put("api_keys", new JsonArray().add(new JsonObject().put("id", "dev")
            .put("key", "dev-secret").put("app_ids", new JsonArray().add("com.game.test")))));

    AppConfig loaded = ConfigLoader.load(file, Map.of("GAME_EVENTS_HTTP_PORT", "8100", "OTHER", "x")).result();

    assertThat(loaded.http().port()).isEqualTo(8100);
    assertThat(loaded.http().instances()).isEqualTo(2);
    assertThat(file.getJsonObject("http").getInteger("port")).isEqualTo(8000);
    assertThat(ConfigLoader.load(file, Map.of("GAME_EVENTS_HTTP_PORT", "eighty")).cause())
        .isInstanceOf(ConfigException.class).hasMessage("config key 'http.port' must be a whole number");
  }
}
