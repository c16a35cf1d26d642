package io.gameevents;

import io.gameevents.support.TestService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The composition root takes what Main read once: the environment it applies over the config, or the config
 * Main already loaded; it reads neither a second time.
 */
class MainVerticleBuilderTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(60, SECONDS);
  }

  @Test
  void theEnvironmentGivenToTheBuilderIsAppliedOverTheDeploymentConfig(@TempDir Path dir) throws Exception {
    int configured = TestService.freePort();
    int fromEnvironment = TestService.freePort();
    MainVerticle main = MainVerticle.builder().registry(new SimpleMeterRegistry())
        .environment(Map.of("GAME_EVENTS_HTTP_PORT", Integer.toString(fromEnvironment))).build();

    vertx.deployVerticle(main, new DeploymentOptions().setConfig(TestService.config(dir, configured)))
        .await(60, SECONDS);

    assertThat(main.appConfig().http().port()).isEqualTo(fromEnvironment);
    assertThat(health(fromEnvironment)).isEqualTo(200);
    main.drain().await(60, SECONDS);
  }

  @Test
  void aConfigLoadedByMainIsRunAsGivenAndTheDeploymentConfigIsNotRead(@TempDir Path dir) throws Exception {
    int port = TestService.freePort();
    MainVerticle main = MainVerticle.builder().registry(new SimpleMeterRegistry())
        .config(ServiceConfig.load(TestService.config(dir, port), Map.of())).build();

    // a deployment config that would fail start-up: it is not the one this verticle runs with
    vertx.deployVerticle(main, new DeploymentOptions().setConfig(new JsonObject().put("no_such_key", 1)))
        .await(60, SECONDS);

    assertThat(main.appConfig().http().port()).isEqualTo(port);
    assertThat(health(port)).isEqualTo(200);
    main.drain().await(60, SECONDS);
  }

  private int health(int port) throws Exception {
    WebClient client = WebClient.create(vertx);
    try {
      return client.get(port, "127.0.0.1", "/health").send().await(60, SECONDS).statusCode();
    } finally {
      client.close();
    }
  }
}
