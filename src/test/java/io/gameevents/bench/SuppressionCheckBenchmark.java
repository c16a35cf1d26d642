package io.gameevents.bench;

import io.gameevents.privacy.Subject;
import io.gameevents.suppression.SubjectDigest;
import io.gameevents.suppression.SuppressionEntry;
import io.gameevents.suppression.SuppressionList;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The ingest path's suppression check ({@link SuppressionList#suppressed}) with {@code entries} players of one app
 * on the list, loaded from the list's file as a restarted node would: a player on the list (hit), a player of that
 * app who is not (miss: the common case, and the dearest, since the app has entries), an event with a player and a
 * device id (both checked), and an app with nobody on the list. Run with
 * {@code bench/jmh.sh SuppressionCheckBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SuppressionCheckBenchmark {

  private static final String APP = "com.studio.puzzlequest";
  private static final int MASK = 4095;

  @Param({"1000000"})
  public int entries;

  private Path dir;
  private SuppressionList list;
  private final String[] onList = new String[MASK + 1];
  private final String[] notOnList = new String[MASK + 1];
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("suppression-bench");
    SplittableRandom random = new SplittableRandom(11);
    byte[] key = new byte[16];
    random.nextBytes(key);
    SubjectDigest digests = new SubjectDigest(key);
    try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("suppressions.ndjson"), StandardCharsets.UTF_8)) {
      for (int i = 0; i < entries; i++) {
        String player = "player-" + i;
        if (i <= MASK) {
          onList[i] = player;
        }
        SuppressionEntry entry = new SuppressionEntry(APP, Subject.Kind.PLAYER,
            digests.of(new Subject(APP, Subject.Kind.PLAYER, player)), true, i + 1, "r" + i);
        out.write(entry.toJson().encode());
        out.write('\n');
      }
    }
    for (int i = 0; i <= MASK; i++) {
      notOnList[i] = new java.util.UUID(random.nextLong(), random.nextLong()).toString();
    }
    list = SuppressionList.open(dir, digests);
    if (list.size() != entries || !list.suppressed(APP, onList[5], null) || list.suppressed(APP, notOnList[5], null)) {
      throw new IllegalStateException("the list did not load as written");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    list.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    }
  }

  @Benchmark
  public boolean playerOnTheList() {
    return list.suppressed(APP, onList[next++ & MASK], null);
  }

  @Benchmark
  public boolean playerNotOnTheList() {
    return list.suppressed(APP, notOnList[next++ & MASK], null);
  }

  @Benchmark
  public boolean playerAndDeviceNotOnTheList() {
    int i = next++ & MASK;
    return list.suppressed(APP, notOnList[i], notOnList[MASK - i]);
  }

  @Benchmark
  public boolean appWithNobodyOnTheList() {
    return list.suppressed("com.studio.other", notOnList[next++ & MASK], notOnList[0]);
  }
}
