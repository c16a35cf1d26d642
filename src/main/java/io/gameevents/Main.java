package io.gameevents;

import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Entry point of the fat jar: {@code java -jar game-events.jar -conf conf/config.json}.
 *
 * <p>Wraps the Vert.x launcher to add what it lacks: an unreadable {@code -conf} fails start-up
 * (the launcher would only warn), a failed start exits non-zero with one line, and SIGTERM drains
 * the pipeline in order before Vert.x closes.
 */
public final class Main implements VertxApplicationHooks {

  private final MainVerticle verticle = new MainVerticle();

  public static void main(String[] args) {
    String problem = checkConfArgument(args);
    if (problem != null) {
      System.err.println("game-events: " + problem);
      System.exit(2);
    }
    int exitCode = new VertxApplication(args, new Main()).launch();
    if (exitCode != 0) {
      System.exit(exitCode);
    }
  }

  /** Returns why the {@code -conf} argument is unusable, or null. */
  static String checkConfArgument(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String value = null;
      if (arg.equals("-conf") || arg.equals("--conf")) {
        if (i + 1 >= args.length) {
          return "-conf needs a file name";
        }
        value = args[i + 1];
      } else if (arg.startsWith("-conf=") || arg.startsWith("--conf=")) {
        value = arg.substring(arg.indexOf('=') + 1);
      }
      if (value == null || value.trim().startsWith("{")) {
        continue; // inline JSON is parsed by the launcher
      }
      Path file = Path.of(value);
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        return "cannot read config file " + file.toAbsolutePath();
      }
      try {
        new JsonObject(Files.readString(file));
      } catch (Exception e) {
        return "config file " + file.toAbsolutePath() + " is not a valid JSON object: " + firstLine(e.getMessage());
      }
    }
    return null;
  }

  @Override
  public Supplier<? extends io.vertx.core.Deployable> verticleSupplier() {
    return () -> verticle;
  }

  @Override
  public void afterFailureToDeployVerticle(HookContext context, Throwable cause) {
    System.err.println("game-events: failed to start: " + firstLine(cause.getMessage()));
  }

  @Override
  public void beforeStoppingVertx(HookContext context) {
    long timeoutMs = verticle.appConfig() == null ? 0 : verticle.appConfig().shutdownTimeoutMs() + 5000;
    try {
      verticle.drain().toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      System.err.println("game-events: shutdown did not complete in time: " + e);
    }
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "unknown error";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
