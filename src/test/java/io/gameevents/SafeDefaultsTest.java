package io.gameevents;

import io.gameevents.config.ConfigException;
import io.gameevents.support.TestService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The service itself refuses the published dev credentials off loopback, and serves them on it. */
@ExtendWith(VertxExtension.class)
class SafeDefaultsTest {

  @Test
  void theServiceRefusesToStartWithTheDevKeyOnANonLoopbackAddress(Vertx vertx) {
    // a documentation address (TEST-NET-1): the refusal comes before any bind, and nothing listens off loopback
    Future<TestService> started = TestService.start(vertx, c -> {
      c.getJsonObject("http").put("host", "192.0.2.1");
      return c;
    });

    assertThatThrownBy(() -> started.await(30, TimeUnit.SECONDS))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("auth.api_keys[0] (id \"dev\") is the published development key \"dev-secret\", "
            + "refused because http.host 192.0.2.1 is not a loopback address");
  }

  @Test
  void onLocalhostTheDevKeyServes(Vertx vertx) throws Exception {
    TestService service = TestService.start(vertx, c -> {
      c.getJsonObject("http").put("host", "localhost");
      return c;
    }).await(30, TimeUnit.SECONDS);
    try {
      assertThat(service.postJson("/v1/events/install", install(newId())).await(10, TimeUnit.SECONDS).statusCode())
          .isEqualTo(200);
    } finally {
      service.stop().await(30, TimeUnit.SECONDS);
    }
  }
}
