package io.gameevents.forward;

import io.gameevents.privacy.ErasableStore;
import io.gameevents.privacy.StoreReceipt;
import io.gameevents.privacy.Subject;
import io.gameevents.privacy.SubjectRecords;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * The spool as an erasable store: the subject's records still to forward are dropped by the forwarder
 * ({@link SpoolErasures}, which says why not a rewrite). The receipt counts the records that were waiting.
 */
public final class SpoolStore implements ErasableStore {

  public static final String NAME = "spool";

  private final Spool spool;
  private final Clock clock;

  public SpoolStore(Spool spool, Clock clock) {
    this.spool = spool;
    this.clock = clock;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public StoreReceipt erase(Subject subject) throws IOException {
    SpoolScan scan = SpoolScan.of(spool.root());
    spool.erasures().add(subject, clock.millis(), scan.oldestSegmentMillis());
    long waiting = 0;
    for (SpoolScan.Segment segment : scan.segments()) {
      waiting += count(segment.path(), segment.forwarded(), subject);
    }
    try (Stream<Path> walk = Files.walk(spool.root())) {
      for (Path open : walk.filter(p -> p.getFileName().toString().endsWith(".inprogress")).toList()) {
        waiting += count(open, 0, subject);
      }
    }
    return new StoreReceipt(NAME, waiting, 0, clock.instant(),
        "dropped at forward time: the forwarder skips the subject's records; no segment is rewritten");
  }

  /** The subject's records in a segment from a byte offset on (a segment forwarded meanwhile has none). */
  private static long count(Path segment, long from, Subject subject) throws IOException {
    long found = 0;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(segment), 64 * 1024)) {
      in.skipNBytes(from);
      byte[] line = new byte[8 * 1024];
      int length = 0;
      for (int b = in.read(); b >= 0; b = in.read()) {
        if (b == '\n') {
          found += SubjectRecords.belongsTo(subject, line, 0, length) ? 1 : 0;
          length = 0;
          continue;
        }
        if (length == line.length) {
          line = Arrays.copyOf(line, line.length * 2);
        }
        line[length++] = (byte) b;
      }
    } catch (NoSuchFileException forwardedMeanwhile) {
      return found;
    }
    return found;
  }
}
