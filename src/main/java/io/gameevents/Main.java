package io.gameevents;

import io.gameevents.cluster.ClusterSetup;
import io.gameevents.config.ConfigException;
import io.gameevents.logging.LogLayout;
import io.gameevents.logging.LogSetup;
import io.gameevents.metrics.Metrics;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.ExitCodes;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Entry point of the fat jar: {@code java -jar game-events.jar [-conf conf/config.json] [-cluster]} starts the
 * service; a command ({@link Commands}, such as {@code hash-key}), {@code --help} and {@code --version} answer
 * without starting anything ({@link CommandLine}). Without {@code -conf}, {@code conf/config.json} in the working
 * directory is used when it exists (the first log line says which config is used).
 *
 * <p>Reads the process's inputs once (the environment, the {@code -conf} text) and loads the config before
 * Vert.x starts, then runs the Vert.x launcher with what it lacks: an unreadable {@code -conf} or an invalid
 * config fails start-up, a failed start exits non-zero with one plain-text line on stderr
 * (printed, not logged, so it reads the same in either {@code log.format} and needs no working logging),
 * the log layout is chosen before Logback starts, and SIGTERM drains the pipeline in order before
 * Vert.x closes. With {@code -cluster} the node joins the Hazelcast cluster its {@code cluster}
 * config section describes (TCP/IP seeds, no multicast).
 */
public final class Main implements VertxApplicationHooks {

  private final MainVerticle verticle;
  /** The config as the node runs it: read, merged with the environment and validated once, before Vert.x starts. */
  private final ServiceConfig config;
  private final boolean cluster;

  private Main(MainVerticle verticle, ServiceConfig config, boolean cluster) {
    this.verticle = verticle;
    this.config = config;
    this.cluster = cluster;
  }

  public static void main(String[] args) {
    CommandLine.Parsed parsed = CommandLine.parse(args);
    // everything but starting the service answers before any logging or Vert.x: its output is the answer
    if (parsed instanceof CommandLine.Help) {
      System.out.print(CommandLine.usage());
      System.exit(0);
    } else if (parsed instanceof CommandLine.Version) {
      System.out.println(CommandLine.version(Main.class.getPackage().getImplementationVersion()));
      System.exit(0);
    } else if (parsed instanceof CommandLine.Invalid invalid) {
      System.err.println("game-events: " + invalid.problem());
      System.err.print(CommandLine.usage());
      System.exit(2);
    } else if (parsed instanceof CommandLine.Run run) {
      System.exit(run.command().tool().run(run.args(), System.in, System.out, System.err));
    } else {
      serve((CommandLine.Serve) parsed);
    }
  }

  /**
   * The one place the process's inputs are read: the environment once, the {@code -conf} text once; everything
   * after (the log layout, the config, the cluster set-up, the verticle) is handed what was read here.
   */
  private static void serve(CommandLine.Serve given) {
    defaultNettyJfrOff();
    Map<String, String> environment = Map.copyOf(System.getenv());
    ConfSource source = resolveConf(given, Path.of("").toAbsolutePath());
    CommandLine.Serve serve = source.serve();
    ConfText text = readConf(serve);
    // first: parsing JSON with Vert.x (below) already creates a logger, and so starts Logback
    LogLayout.select(LogLayout.chosen(text.json(), environment), environment);
    if (source.description() != null) {
      LoggerFactory.getLogger(Main.class).info(source.description());
    }
    JsonObject json = null;
    String problem = text.problem();
    if (problem == null) {
      try {
        json = text.json() == null ? new JsonObject() : new JsonObject(text.json());
      } catch (RuntimeException e) {
        problem = (serve.confIsFile() ? "config file " + Path.of(serve.conf()).toAbsolutePath() : "config -conf")
            + " is not a valid JSON object: " + MainVerticle.firstLine(e.getMessage());
      }
    }
    if (problem != null) {
      System.err.println("game-events: " + problem);
      System.exit(2);
    }
    ServiceConfig config;
    try {
      config = ServiceConfig.load(json, environment);
      if (serve.cluster()) {
        ClusterSetup.check(config.app());
      }
    } catch (ConfigException e) {
      // without -cluster in the launcher's words for a verticle that fails to start; with it, as the cluster
      // checks refuse a node before it joins (exit 2), so no member ever sees it
      System.err.println("game-events: " + (serve.cluster() ? "" : "failed to start: ") + e.getMessage());
      System.exit(serve.cluster() ? 2 : ExitCodes.VERTX_DEPLOYMENT);
      return;
    }
    MainVerticle.Builder verticle = MainVerticle.builder().environment(environment).config(config);
    if (serve.confIsFile()) {
      verticle.configFile(Path.of(serve.conf()).toAbsolutePath(), watchIntervalMs(environment));
    }
    Main main = new Main(verticle.build(), config, serve.cluster());
    main.reloadOnSignal();
    int exitCode = new VertxApplication(serve.launcherArgs(), main).launch();
    if (exitCode != 0) {
      System.exit(exitCode);
    }
  }

  static final String NETTY_JFR = "io.netty.jfr.enabled";

  /**
   * Netty 4.2 defines JDK Flight Recorder events for its buffer allocator and, unless told not to, registers them
   * at the first allocation (the first request): over a hundred JFR classes and generated event handlers, loaded
   * while that request waits, for events recorded only when someone profiles Netty's allocator. Off unless
   * {@code -Dio.netty.jfr.enabled=true} is given; this touches only those events: JFR itself, and every other
   * event, are unaffected.
   */
  static void defaultNettyJfrOff() {
    if (System.getProperty(NETTY_JFR) == null) {
      System.setProperty(NETTY_JFR, "false");
    }
  }

  /**
   * Where the config comes from, and the first log line that says so when no {@code -conf} was given (with one,
   * there is no doubt, and a failed start stays one line).
   *
   * @param serve       the command line, with {@code -conf} filled in when it was found by default
   * @param description the first log line, or null with {@code -conf}
   */
  record ConfSource(CommandLine.Serve serve, String description) {
  }

  /** Without {@code -conf}, the file a newcomer expects to be used: the repository's dev config. */
  static final String DEFAULT_CONF = "conf/config.json";

  /**
   * {@code -conf} as given; without one, {@value #DEFAULT_CONF} in the working directory when it exists; else
   * the built-in defaults (and the GAME_EVENTS_* environment variables, which apply in every case).
   */
  static ConfSource resolveConf(CommandLine.Serve given, Path workingDirectory) {
    if (given.conf() != null) {
      return new ConfSource(given, null);
    }
    Path found = workingDirectory.resolve(DEFAULT_CONF);
    if (Files.isRegularFile(found)) {
      return new ConfSource(new CommandLine.Serve(found.toString(), given.cluster()), "config: " + found
          + " (no -conf given, so " + DEFAULT_CONF + " in the working directory)");
    }
    return new ConfSource(given, "config: the built-in defaults (no -conf given, and no " + DEFAULT_CONF + " in "
        + workingDirectory + "); GAME_EVENTS_* environment variables apply");
  }

  /**
   * The {@code -conf} value's text, read once: the file's content, or the inline JSON as given.
   *
   * @param json    the text, or null without {@code -conf} (or when unreadable)
   * @param problem why the file is unusable, or null
   */
  record ConfText(String json, String problem) {
  }

  static ConfText readConf(CommandLine.Serve serve) {
    if (serve.conf() == null) {
      return new ConfText(null, null);
    }
    if (!serve.confIsFile()) {
      return new ConfText(serve.conf(), null);
    }
    Path file = Path.of(serve.conf());
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      return new ConfText(null, "cannot read config file " + file.toAbsolutePath());
    }
    try {
      return new ConfText(Files.readString(file), null);
    } catch (IOException e) {
      return new ConfText(null, "cannot read config file " + file.toAbsolutePath());
    }
  }

  /** {@code GAME_EVENTS_CONFIG_WATCH_SECONDS} (default 2, 0 for off), how often the -conf file is checked. */
  private static long watchIntervalMs(Map<String, String> environment) {
    String seconds = environment.getOrDefault("GAME_EVENTS_CONFIG_WATCH_SECONDS", "2");
    try {
      return Math.max(0, Long.parseLong(seconds.trim())) * 1000;
    } catch (NumberFormatException e) {
      System.err.println("game-events: GAME_EVENTS_CONFIG_WATCH_SECONDS must be a whole number (was '" + seconds + "')");
      System.exit(2);
      return 0;
    }
  }

  /** Key rotation: SIGHUP re-reads the credentials from the {@code -conf} file (so does the file watch). */
  private void reloadOnSignal() {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> verticle.reloadCredentials());
    } catch (IllegalArgumentException unsupported) {
      // no SIGHUP on this platform: the file watch still reloads
    }
  }

  @Override
  public VertxBuilder createVertxBuilder(VertxOptions options) {
    // epoll on Linux (netty-transport-native-epoll is a dependency), NIO where it cannot load
    options.setPreferNativeTransport(true);
    if (!cluster) {
      return VertxApplicationHooks.super.createVertxBuilder(Metrics.enable(options)).withMetrics(Metrics.factory());
    }
    return ClusterSetup.clustered(
        VertxApplicationHooks.super.createVertxBuilder(ClusterSetup.options(Metrics.enable(options), config.app()))
            .withMetrics(Metrics.factory()), config.app(), Metrics::registry);
  }

  @Override
  public Supplier<? extends io.vertx.core.Deployable> verticleSupplier() {
    return () -> verticle;
  }

  @Override
  public void afterFailureToDeployVerticle(HookContext context, Throwable cause) {
    System.err.println("game-events: failed to start: " + MainVerticle.firstLine(cause.getMessage()));
  }

  @Override
  public void afterFailureToStartVertx(HookContext context, Throwable cause) {
    System.err.println("game-events: failed to start Vert.x: " + MainVerticle.firstLine(cause.getMessage()));
  }

  @Override
  public void beforeStoppingVertx(HookContext context) {
    long timeoutMs = config.app().shutdownTimeoutMs() + 5000;
    try {
      verticle.drain().toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      System.err.println("game-events: shutdown did not complete in time: " + e);
    }
  }

  /** Last: the access log's queued lines are written before the JVM exits (its writer thread is a daemon). */
  @Override
  public void afterVertxStopped(HookContext context) {
    LogSetup.stop();
  }

  @Override
  public void afterFailureToStopVertx(HookContext context, Throwable cause) {
    LogSetup.stop();
  }
}
