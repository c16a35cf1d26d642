package io.gameevents.replay;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code java -jar game-events.jar replay --lake data/refused --since 2026-11-24 --type purchase --url ... --token ...}:
 * reads a refused lake, selects records, and sends them in batches to a running service's admin replay endpoint
 * (where the debugger is served: the management port when one is set). Shows progress on stderr and ends with a
 * summary by outcome and reason on stdout.
 *
 * <p>Exit codes: 0 every selected record is stored (accepted or duplicate), or none was selected; 1 every record
 * was answered but some are still refused; 2 the arguments or the lake are unusable; 3 the service refused the
 * requests themselves (not an admin token, no replay endpoint at that URL, too many failed attempts, a record too
 * large); 4 some records were not answered (the service stayed unavailable, or could not be reached).
 */
public final class ReplayCommand {

  public static final String NAME = "replay";
  public static final String ARGUMENTS = "--url URL [--lake DIR] [--since T] [--until T] [--type T,...] [--app A]"
      + " [--token T | --token-file F] [--batch N] [--dry-run]";
  public static final String SUMMARY = "send kept refused events back through a running service's validation and"
      + " dedup (POST /v1/admin/replay), printing a summary by outcome and reason";
  static final String TOKEN_VARIABLE = "GAME_EVENTS_ADMIN_TOKEN";
  static final String USAGE = "usage: java -jar game-events.jar replay " + ARGUMENTS + "\n"
      + "  --url URL         the service's replay listener: http.management_port when set (http://host:9000), else\n"
      + "                    the public port\n"
      + "  --lake DIR        the refused lake (default data/refused: delivery.file.refused_directory)\n"
      + "  --since T         refused at or after T (2026-11-24 or 2026-11-24T10:00:00Z)\n"
      + "  --until T         refused before T\n"
      + "  --type T,...      only these event types\n"
      + "  --app A           only this app_id\n"
      + "  --token T         an admin token (admin.tokens); or --token-file F, or the environment variable "
      + TOKEN_VARIABLE + "\n"
      + "                    (a token on the command line is visible to other users of the machine)\n"
      + "  --batch N         records per request (default 100, at most the service's http.max_batch_events)\n"
      + "  --dry-run         select and count only: send nothing\n"
      + "exit codes: 0 all stored, 1 some still refused, 2 usage, 3 refused by the service, 4 some not answered";

  static final int OK = 0;
  static final int STILL_REFUSED = 1;
  static final int USAGE_ERROR = 2;
  static final int SERVICE_REFUSED = 3;
  static final int NOT_ANSWERED = 4;
  private static final int ATTEMPTS = 5;

  private ReplayCommand() {
  }

  /** The jar's entry: the token may come from the environment. */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    return run(args, System.getenv(), out, err, seconds -> Thread.sleep(seconds * 1000));
  }

  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, ReplayClient.Pause pause) {
    Options options;
    try {
      options = Options.parse(args, env);
    } catch (IllegalArgumentException e) {
      err.println("game-events replay: " + e.getMessage());
      err.println(USAGE);
      return USAGE_ERROR;
    }
    if (!Files.isDirectory(options.lake)) {
      err.println("game-events replay: no refused lake at " + options.lake.toAbsolutePath());
      return USAGE_ERROR;
    }
    ReplayClient client = options.dryRun ? null : new ReplayClient(options.url, options.token, ATTEMPTS, pause);
    Tally tally = new Tally();
    RefusedLake.Counts counts = new RefusedLake.Counts();
    List<ObjectNode> batch = new ArrayList<>(options.batch);
    try {
      for (Path file : RefusedLake.files(options.lake)) {
        List<ObjectNode> selected = new ArrayList<>();
        RefusedLake.read(file, options.selection, counts, selected::add);
        for (ObjectNode record : selected) {
          batch.add(record);
          if (batch.size() == options.batch) {
            send(client, batch, tally, counts, err);
          }
        }
      }
      send(client, batch, tally, counts, err);
    } catch (ReplayClient.Refused refused) {
      err.println("game-events replay: the service answered " + refused.status + ": " + refused.getMessage());
      tally.print(out, options, counts);
      return SERVICE_REFUSED;
    } catch (IOException e) {
      err.println("game-events replay: " + e);
      tally.print(out, options, counts);
      return NOT_ANSWERED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      tally.print(out, options, counts);
      return NOT_ANSWERED;
    }
    tally.print(out, options, counts);
    if (tally.count("unavailable") > 0) {
      return NOT_ANSWERED;
    }
    return tally.count("rejected") > 0 ? STILL_REFUSED : OK;
  }

  private static void send(ReplayClient client, List<ObjectNode> batch, Tally tally, RefusedLake.Counts counts,
                           PrintStream err) throws IOException, InterruptedException, ReplayClient.Refused {
    if (batch.isEmpty()) {
      return;
    }
    if (client == null) {
      tally.add(new ReplayClient.Answer("selected", null, List.of()), batch.size());
    } else {
      for (ReplayClient.Answer answer : client.send(batch)) {
        tally.add(answer, 1);
      }
    }
    batch.clear();
    err.println("replay: " + tally.total + " sent of " + counts.selected + " selected so far (" + tally.brief() + ")");
  }

  /** Records by outcome, and the rejected ones by problem type and first field. */
  private static final class Tally {
    long total;
    private final Map<String, Long> byStatus = new TreeMap<>();
    private final Map<String, Long> byReason = new TreeMap<>();

    void add(ReplayClient.Answer answer, long n) {
      total += n;
      byStatus.merge(answer.status(), n, Long::sum);
      if (answer.status().equals("rejected")) {
        String field = answer.pointers().isEmpty() ? "" : " " + answer.pointers().get(0);
        byReason.merge(answer.type() + field, n, Long::sum);
      }
    }

    long count(String status) {
      return byStatus.getOrDefault(status, 0L);
    }

    String brief() {
      return String.join(", ", byStatus.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList());
    }

    void print(PrintStream out, Options options, RefusedLake.Counts counts) {
      out.println((options.dryRun ? "selected " : "replayed ") + total + " refused records from " + options.lake
          + " (" + counts.selected + " selected of " + counts.read + " read"
          + (counts.unreadable > 0 ? ", " + counts.unreadable + " lines unreadable (in-progress files)" : "") + ")");
      for (Map.Entry<String, Long> status : byStatus.entrySet()) {
        out.printf("  %-12s %d%n", status.getKey(), status.getValue());
        if (status.getKey().equals("rejected")) {
          byReason.forEach((reason, n) -> out.printf("    %-40s %d%n", reason, n));
        }
      }
    }
  }

  /** The command line, checked. */
  static final class Options {
    Path lake = Path.of("data", "refused");
    String url;
    String token;
    int batch = 100;
    boolean dryRun;
    RefusedLake.Selection selection;

    static Options parse(String[] args, Map<String, String> env) {
      Options options = new Options();
      Instant since = null;
      Instant until = null;
      List<String> types = new ArrayList<>();
      String app = null;
      String tokenFile = null;
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (arg.equals("--dry-run")) {
          options.dryRun = true;
          continue;
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(arg.startsWith("--") ? arg + " needs a value" : "unexpected '" + arg + "'");
        }
        String value = args[++i];
        switch (arg) {
          case "--lake" -> options.lake = Path.of(value);
          case "--url" -> options.url = value;
          case "--token" -> options.token = value;
          case "--token-file" -> tokenFile = value;
          case "--since" -> since = time(arg, value);
          case "--until" -> until = time(arg, value);
          case "--type" -> types.addAll(Arrays.stream(value.split(",")).map(String::trim).filter(t -> !t.isEmpty())
              .toList());
          case "--app" -> app = value;
          case "--batch" -> options.batch = batch(value);
          default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
        }
      }
      if (tokenFile != null) {
        if (options.token != null) {
          throw new IllegalArgumentException("give --token or --token-file, not both");
        }
        options.token = readToken(tokenFile);
      }
      if (options.token == null) {
        options.token = env.get(TOKEN_VARIABLE);
      }
      if (!options.dryRun && (options.url == null || !options.url.matches("https?://.+"))) {
        throw new IllegalArgumentException("--url must be the service's http:// or https:// address");
      }
      if (!options.dryRun && (options.token == null || options.token.isBlank())) {
        throw new IllegalArgumentException("an admin token is needed: --token, --token-file or " + TOKEN_VARIABLE);
      }
      if (since != null && until != null && !since.isBefore(until)) {
        throw new IllegalArgumentException("--since must be before --until");
      }
      options.selection = new RefusedLake.Selection(since, until, List.copyOf(types), app);
      return options;
    }

    private static Instant time(String option, String value) {
      try {
        return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
            : Instant.parse(value);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(option + " must be a date (2026-11-24, UTC) or an RFC 3339 time"
            + " (2026-11-24T10:00:00Z), was '" + value + "'");
      }
    }

    private static int batch(String value) {
      try {
        int n = Integer.parseInt(value);
        if (n >= 1 && n <= 10_000) {
          return n;
        }
      } catch (NumberFormatException e) {
        // below
      }
      throw new IllegalArgumentException("--batch must be a whole number from 1 to 10000, was '" + value + "'");
    }

    private static String readToken(String file) {
      try {
        List<String> lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
        if (lines.isEmpty() || lines.get(0).isBlank()) {
          throw new IllegalArgumentException("--token-file " + file + " is empty");
        }
        return lines.get(0).trim();
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read --token-file " + file);
      }
    }
  }
}
