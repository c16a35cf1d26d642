package io.gameevents.support;

import io.vertx.core.Future;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A bounded wait for code that can't throw a checked exception (a lambda): a future not done in time fails the test. */
public final class Waits {

  public static final long SECONDS = 60;

  private Waits() {
  }

  public static <T> T done(Future<T> future) {
    try {
      return future.await(SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("not completed within " + SECONDS + " s: " + future, e);
    }
  }
}
