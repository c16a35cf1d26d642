package io.gameevents.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a JFR recording of a start-up (bench/startup.sh with PROFILE=1, dumped at the first 200 on /ready)
 * and prints where the samples went: by the subsystem whose work it was (the first category, in the order
 * below, with a frame anywhere on the stack: who caused the work, not where it ended), and how many of them
 * were loading classes, whoever asked. Unlike {@link JfrTop}, which names the innermost frame (what costs
 * under load), start-up cost is best charged to the step that triggered it.
 *
 * <pre>java -cp target/game-events.jar:target/test-classes io.gameevents.bench.StartupTop FILE[,FILE...] [top]</pre>
 * (several recordings of the same start-up add up: one start-up gives only 200-400 samples)
 */
public final class StartupTop {

  private static final String[][] SUBSYSTEMS = {
      {"logging set-up (Logback configuration)", "^ch\\.qos\\.logback\\.classic\\.util\\.ContextInitializer\\."
          + "|^ch\\.qos\\.logback\\.classic\\.spi\\.LogbackServiceProvider\\.|^io\\.gameevents\\.logging\\.LogSetup\\."},
      {"metrics set-up (Micrometer, Prometheus, JVM binders)", "^io\\.vertx\\.micrometer\\.|^io\\.micrometer\\."
          + "|^io\\.gameevents\\.metrics\\."},
      {"schemas (networknt, EventValidator)", "^com\\.networknt\\.|EventValidator\\."},
      {"OpenAPI document", "OpenApiDocument\\.|ApiDocs\\."},
      {"dedup stage start", "^io\\.gameevents\\.dedup\\."},
      {"delivery stage start, file sink", "^io\\.gameevents\\.delivery\\."},
      {"config loading (vertx-config, ConfigLoader)", "^io\\.vertx\\.config\\.|ConfigLoader\\.|^io\\.gameevents\\.config\\."},
      {"auth (keys, rate limits)", "^io\\.gameevents\\.http\\.auth\\."},
      {"HttpVerticle.start (router, server)", "HttpVerticle\\.start"},
      {"MainVerticle.start, other", "MainVerticle\\."},
      {"log layout pick, -conf check (Jackson)", "LogLayout\\.|Main\\.checkConfArgument"},
      {"Vert.x and Netty bootstrap", "^io\\.vertx\\.launcher\\.|VertxBuilder\\.|VertxImpl\\.<init>|^io\\.vertx\\.core\\.impl\\.VertxBootstrap"},
      {"Vert.x event loops, Netty (other)", "^io\\.netty\\.|^io\\.vertx\\."},
  };
  private static final Pattern CLASS_LOADING = Pattern.compile(
      "^java\\.lang\\.ClassLoader\\.(loadClass|defineClass)|^jdk\\.internal\\.loader\\.|^java\\.util\\.zip\\.|"
          + "^java\\.util\\.jar\\.|^java\\.lang\\.Class\\.forName|^sun\\.reflect\\.generics|^java\\.lang\\.invoke\\.");

  private StartupTop() {
  }

  public static void main(String[] args) throws IOException {
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
    Map<String, Long> subsystems = new HashMap<>();
    Map<String, Long> loadingBySubsystem = new HashMap<>();
    Map<String, Long> inclusive = new HashMap<>();
    long samples = 0;
    long loading = 0;
    List<RecordedEvent> events = new java.util.ArrayList<>();
    for (String file : args[0].split(",")) {
      events.addAll(RecordingFile.readAllEvents(Path.of(file)));
    }
    for (RecordedEvent event : events) {
      if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
        continue;
      }
      List<RecordedFrame> frames = event.getStackTrace().getFrames();
      if (frames.isEmpty() || event.getThread("sampledThread").getJavaName().startsWith("JFR")) {
        continue; // the recorder's own threads are not start-up work
      }
      samples++;
      String subsystem = subsystem(frames);
      subsystems.merge(subsystem, 1L, Long::sum);
      if (frames.stream().anyMatch(frame -> CLASS_LOADING.matcher(method(frame)).find())) {
        loading++;
        loadingBySubsystem.merge(subsystem, 1L, Long::sum);
      }
      Set<String> seen = new HashSet<>();
      for (RecordedFrame frame : frames) {
        String method = method(frame);
        if (method.startsWith("io.gameevents.") && seen.add(method)) {
          inclusive.merge(method, 1L, Long::sum);
        }
      }
    }
    System.out.printf("%,d samples (JFR's own threads left out), %.0f%% of them loading or linking classes%n",
        samples, 100.0 * loading / samples);
    System.out.printf("%nby subsystem (share of all samples; of which loading classes)%n");
    long total = samples;
    subsystems.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(entry -> System.out.printf("%6.1f%%  (%4.1f%%)  %s%n", 100.0 * entry.getValue() / total,
            100.0 * loadingBySubsystem.getOrDefault(entry.getKey(), 0L) / total, entry.getKey()));
    System.out.printf("%nour methods on the stack (inclusive)%n");
    inclusive.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
        .forEach(entry -> System.out.printf("%6.1f%%  %s%n", 100.0 * entry.getValue() / total, entry.getKey()));
  }

  private static String subsystem(List<RecordedFrame> frames) {
    for (String[] subsystem : SUBSYSTEMS) {
      Pattern pattern = Pattern.compile(subsystem[1]);
      for (RecordedFrame frame : frames) {
        if (pattern.matcher(method(frame)).find()) {
          return subsystem[0];
        }
      }
    }
    return "other (JDK, main before Vert.x)";
  }

  private static String method(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }
}
