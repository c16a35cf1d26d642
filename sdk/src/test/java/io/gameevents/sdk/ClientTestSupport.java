package io.gameevents.sdk;

import io.vertx.core.Future;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Helpers shared by the client tests. Tests run on JUnit's thread, like a game loop would. */
final class ClientTestSupport {

  static final String API_KEY = "test-secret";

  private ClientTestSupport() {
  }

  /** Fast retries so a test that exhausts the budget finishes quickly. */
  static GameEventClientConfig fastConfig(String baseUrl) {
    return new GameEventClientConfig(baseUrl, API_KEY)
        .setInitialBackoff(Duration.ofMillis(20))
        .setMaxBackoff(Duration.ofMillis(100))
        .setRequestTimeout(Duration.ofSeconds(5))
        .setFlushInterval(Duration.ofHours(1));
  }

  static <T> T await(Future<T> future) throws Exception {
    try {
      return future.await(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no result within 30 s", e);
    }
  }

  static Throwable awaitFailure(Future<?> future) throws Exception {
    try {
      future.await(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no result within 30 s", e);
    } catch (Exception expected) {
      return expected;
    }
    throw new AssertionError("expected a failure, got " + future.result());
  }

  /** A local port with nothing listening: every connection is refused. */
  static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
