package io.gameevents.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a JFR recording made under load (bench/profile.sh) and prints what bench/HISTORY.md's profile
 * tables show: the methods where CPU samples fall (self), the methods on the stack of the most samples
 * (inclusive, once per sample), and sampled allocation by allocating method, per event when the number of
 * events is given. {@code focus} (a regex on "class.method") limits the inclusive table, e.g. to our code.
 *
 * <pre>java -cp target/game-events.jar:target/test-classes io.gameevents.bench.JfrTop FILE [events] [top] [focus]</pre>
 */
public final class JfrTop {

  /**
   * What a sample's CPU was spent on: the innermost frame (nearest the top) that matches one of these, in
   * this order for a frame matching several; samples with none go to {@link #GENERIC}.
   */
  private static final String[][] CATEGORIES = {
      {"schema validation (networknt)", "^com\\.networknt\\."},
      {"warehouse record (EventRecord)", "EventRecord\\."},
      {"validation rules, timestamps", "EventValidator\\.|Rfc3339\\."},
      {"body decoding (Jackson tree)", "BodyDecoder\\."},
      {"access log (logback, JSON encoder)", "AccessLog\\.|^ch\\.qos\\.logback|^net\\.logstash|JsonLogEncoder"},
      {"metrics (Micrometer, Vert.x metrics)", "^io\\.micrometer\\.|^io\\.vertx\\.micrometer\\."},
      {"auth, admission, rate limit", "RequestGate\\.|\\.auth\\.|RateLimits\\.|TokenBucket\\."},
      {"dedup stage", "^io\\.gameevents\\.dedup\\."},
      {"delivery stage, file sink", "^io\\.gameevents\\.delivery\\."},
      {"event bus (send, reply, codecs)", "^io\\.vertx\\.core\\.eventbus\\.|DedupClient\\.|^io\\.gameevents\\.pipeline\\."},
      {"answering: JSON body, response write", "IngestHandler\\.answer|Problem\\."},
      {"body reading, gzip", "BodyReader\\.|Gzip\\."},
      {"other HTTP stage code", "^io\\.gameevents\\."},
      {"routing (vertx-web)", "^io\\.vertx\\.ext\\.web\\."},
  };
  private static final String[][] GENERIC = {
      {"HTTP and sockets (Netty, Vert.x core)", "^io\\.netty\\.|^io\\.vertx\\.core\\.|^sun\\.nio\\.|^java\\.nio\\."},
  };

  private JfrTop() {
  }

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    long events = args.length > 1 ? Long.parseLong(args[1]) : 0;
    int top = args.length > 2 ? Integer.parseInt(args[2]) : 25;
    Pattern focus = Pattern.compile(args.length > 3 ? args[3] : ".*");

    Map<String, Long> self = new HashMap<>();
    Map<String, Long> inclusive = new HashMap<>();
    Map<String, Long> threads = new HashMap<>();
    Map<String, Long> categories = new HashMap<>();
    Map<String, Long> allocatedBy = new HashMap<>();
    Map<String, Long> allocatedType = new HashMap<>();
    long samples = 0;
    long allocated = 0;
    long gcPauseNanos = 0;
    long gcs = 0;
    long longestPauseNanos = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
      String name = event.getEventType().getName();
      switch (name) {
        case "jdk.ExecutionSample" -> {
          RecordedStackTrace stack = event.getStackTrace();
          if (stack == null || stack.getFrames().isEmpty()) {
            continue;
          }
          samples++;
          List<RecordedFrame> frames = stack.getFrames();
          self.merge(method(frames.get(0)), 1L, Long::sum);
          Set<String> seen = new HashSet<>();
          for (RecordedFrame frame : frames) {
            String method = method(frame);
            if (seen.add(method)) {
              inclusive.merge(method, 1L, Long::sum);
            }
          }
          String category = category(frames, CATEGORIES);
          categories.merge(category != null ? category : Objects.requireNonNullElse(category(frames, GENERIC), "other"),
              1L, Long::sum);
          threads.merge(threadGroup(event.getThread("sampledThread").getJavaName()), 1L, Long::sum);
        }
        case "jdk.ObjectAllocationSample" -> {
          long weight = event.getLong("weight");
          allocated += weight;
          allocatedType.merge(event.getClass("objectClass").getName(), weight, Long::sum);
          RecordedStackTrace stack = event.getStackTrace();
          allocatedBy.merge(stack == null ? "?" : firstOwnFrame(stack.getFrames()), weight, Long::sum);
        }
        case "jdk.GarbageCollection" -> {
          gcs++;
          gcPauseNanos += event.getDuration("sumOfPauses").toNanos();
          longestPauseNanos = Math.max(longestPauseNanos, event.getDuration("longestPause").toNanos());
        }
        default -> {
        }
      }
    }
    System.out.printf("%,d CPU samples; by thread: %s%n", samples, percentages(threads, samples));
    print("spent on (innermost matching frame)", categories, samples, top, Pattern.compile(".*"));
    print("self (top frame)", self, samples, top, Pattern.compile(".*"));
    print("inclusive (on the stack)", inclusive, samples, top, focus);
    System.out.printf("%nallocation: %,d MB sampled%s; %d GCs, %.1f ms paused in all, longest pause %.1f ms%n",
        allocated >> 20, events > 0 ? String.format(", %,d bytes per event", allocated / events) : "", gcs,
        gcPauseNanos / 1e6, longestPauseNanos / 1e6);
    printBytes("allocated by (first frame outside java.*, jdk.*, sun.*)", allocatedBy, allocated, events, top);
    printBytes("allocated type", allocatedType, allocated, events, 12);
  }

  private static String category(List<RecordedFrame> frames, String[][] categories) {
    for (RecordedFrame frame : frames) {
      String method = method(frame);
      for (String[] category : categories) {
        if (Pattern.compile(category[1]).matcher(method).find()) {
          return category[0];
        }
      }
    }
    return null;
  }

  private static String method(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }

  /** The allocating frame worth naming: the first that is not the JDK's own. */
  private static String firstOwnFrame(List<RecordedFrame> frames) {
    for (RecordedFrame frame : frames) {
      String type = frame.getMethod().getType().getName();
      if (!type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun.")) {
        return method(frame);
      }
    }
    return frames.isEmpty() ? "?" : method(frames.get(0));
  }

  /** "vert.x-eventloop-thread-3" -> "vert.x-eventloop-thread": thread pools, not threads. */
  private static String threadGroup(String thread) {
    return thread == null ? "?" : thread.replaceAll("-?\\d+$", "");
  }

  private static String percentages(Map<String, Long> counts, long total) {
    StringBuilder text = new StringBuilder();
    counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(6)
        .forEach(entry -> text.append(text.length() == 0 ? "" : ", ")
            .append(String.format("%s %.0f%%", entry.getKey(), 100.0 * entry.getValue() / total)));
    return text.toString();
  }

  private static void print(String title, Map<String, Long> counts, long total, int top, Pattern focus) {
    System.out.printf("%n%s%n", title);
    counts.entrySet().stream().filter(entry -> focus.matcher(entry.getKey()).find())
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
        .forEach(entry -> System.out.printf("%6.1f%%  %s%n", 100.0 * entry.getValue() / total, entry.getKey()));
  }

  private static void printBytes(String title, Map<String, Long> bytes, long total, long events, int top) {
    System.out.printf("%n%s%n", title);
    bytes.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
        .forEach(entry -> System.out.printf("%6.1f%%  %s  %s%n", 100.0 * entry.getValue() / total,
            events > 0 ? String.format("%,8d B/event", entry.getValue() / events) : "", entry.getKey()));
  }
}
