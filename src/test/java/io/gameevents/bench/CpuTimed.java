package io.gameevents.bench;

import io.gameevents.dedup.storage.DedupAdmitBenchmark;
import io.gameevents.delivery.file.FileSinkEncodeBenchmark;
import io.gameevents.http.BatchAnswerBenchmark;
import io.gameevents.http.validation.EventRecordBenchmark;
import io.gameevents.http.validation.FastPathBenchmark;
import io.gameevents.http.refused.RefusedKeepBenchmark;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * Times an operation by the CPU time of the thread that runs it ({@link ThreadMXBean#getCurrentThreadCpuTime}),
 * not by the wall clock: on a machine shared with other work the thread is descheduled for long stretches,
 * which JMH's wall-clock scores count (errors of ±100% were seen), while the CPU the operation needs changes
 * much less. A complement to JMH for such machines, not a replacement: caches shared with other processes
 * still make every figure somewhat higher than on a quiet machine.
 *
 * <p>{@link #main} times the hot paths of the JMH benchmarks this way (their own state and methods):
 * <pre>bench/jmh.sh -h > /dev/null; java -cp "target/test-classes:target/classes:$(cat target/bench-cp.txt)" io.gameevents.bench.CpuTimed [rounds [name regex]]</pre>
 */
public final class CpuTimed {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  /** Keeps results alive so the JIT cannot drop the work. */
  private static volatile Object sink;

  private CpuTimed() {
  }

  private record Case(String name, Callable<?> operation, int perCall) {
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    ValidationBenchmark validation = new ValidationBenchmark();
    validation.setUp();
    FastPathBenchmark fastPath = new FastPathBenchmark();
    fastPath.setUp();
    GzipBatchBenchmark gzip = new GzipBatchBenchmark();
    gzip.events = 100;
    gzip.setUp();
    EventRecordBenchmark record = new EventRecordBenchmark();
    record.setUp();
    DebuggerHookBenchmark.Node debugger = new DebuggerHookBenchmark.Node();
    DebuggerHookBenchmark hook = new DebuggerHookBenchmark();
    FileSinkEncodeBenchmark fileSink = new FileSinkEncodeBenchmark();
    DedupAdmitBenchmark dedup = new DedupAdmitBenchmark();
    dedup.setUp();
    DedupKeyHashBenchmark dedupKey = new DedupKeyHashBenchmark();
    dedupKey.setUp();
    RefusedKeepBenchmark refused = new RefusedKeepBenchmark();
    BatchAnswerBenchmark answer = new BatchAnswerBenchmark();
    Case[] cases = {
        new Case("validate(): install, full", validation::validateInstall, 1),
        new Case("validate(): purchase, full", validation::validatePurchase, 1),
        new Case("validate(): install, networknt only (no fast path)", fastPath::validateInstallWithoutFastPath, 1),
        new Case("validate(): purchase, networknt only (no fast path)", fastPath::validatePurchaseWithoutFastPath, 1),
        new Case("schema only: install, fast path", fastPath::fastPathInstall, 1),
        new Case("schema only: purchase, fast path", fastPath::fastPathPurchase, 1),
        new Case("schema only: install, format date-time asserted", validation::networkntSchemaOnlyInstall, 1),
        new Case("schema only: install, format as annotation", validation::networkntSchemaOnlyInstallFormatsOff, 1),
        new Case("batch of 100: decode plain body, per event", gzip::decodePlain, gzip.events),
        new Case("batch of 100: gzip inflate, per event", gzip::inflate, gzip.events),
        new Case("batch of 100: inflate + decode, per event", gzip::inflateAndDecode, gzip.events),
        new Case("record: install, write", () -> record.installRecord(), 1),
        new Case("record: install with context, write", () -> record.installWithContextRecord(), 1),
        new Case("debugger hook: one accepted event, no stream", () -> hook.add(debugger), 1),
        new Case("debugger hook: 16,384 events in turn, no stream", () -> hook.addCold(debugger), 1),
        new Case("debugger hook: batch of 100 handed over at once, per event", () -> hook.addBatch(debugger),
            DebuggerHookBenchmark.BATCH),
        new Case("answer: batch of 100 accepted, built and written, per event", answer::direct, 100),
        new Case("file sink: encode 100 records, per record", fileSink::encodePlain, FileSinkEncodeBenchmark.RECORDS),
        new Case("dedup: key, admit, settle, per event", dedup::admitAndSettle, 1),
        new Case("refused: a purchase's refused record, encode", refused::encode, 1),
        new Case("dedup key: SipHash-2-4-128 (keyed, in use)", dedupKey::sipHash128, 1),
        new Case("dedup key: HMAC-SHA256 truncated (keyed)", dedupKey::hmacSha256Truncated, 1),
        new Case("dedup key: MurmurHash3 (unkeyed, before)", dedupKey::oldMurmur3Unkeyed, 1),
    };
    Pattern only = Pattern.compile(args.length > 1 ? args[1] : "");
    for (Case timed : cases) {
      if (!only.matcher(timed.name()).find()) {
        continue;
      }
      int perRound = Math.max(1, 100_000 / timed.perCall());
      System.out.printf("%-54s %s, %,.0f B allocated%n", timed.name(),
          describe(nanosPerCall(timed.operation(), 5, rounds, perRound), timed.perCall()),
          bytesPerCall(timed.operation(), perRound) / timed.perCall());
    }
  }

  /**
   * Heap bytes the thread allocates per call, after the warm-up: unlike the time, this does not depend on
   * what else runs on the machine (it does on escape analysis, so it is measured on compiled code).
   */
  static double bytesPerCall(Callable<?> operation, int calls) throws Exception {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) THREADS;
    long start = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < calls; i++) {
      sink = operation.call();
    }
    return (double) (threads.getCurrentThreadAllocatedBytes() - start) / calls;
  }

  /**
   * Runs {@code operation} for {@code warmupRounds} then {@code rounds} rounds of {@code perRound} calls each;
   * returns the CPU nanoseconds per call of every measured round, sorted.
   */
  static double[] nanosPerCall(Callable<?> operation, int warmupRounds, int rounds, int perRound) throws Exception {
    double[] perCall = new double[rounds];
    for (int round = -warmupRounds; round < rounds; round++) {
      long start = THREADS.getCurrentThreadCpuTime();
      for (int i = 0; i < perRound; i++) {
        sink = operation.call();
      }
      long used = THREADS.getCurrentThreadCpuTime() - start;
      if (round >= 0) {
        perCall[round] = (double) used / perRound;
      }
    }
    Arrays.sort(perCall);
    return perCall;
  }

  /** "median 1,234 ns (min 1,100, max 1,500)" for {@link #nanosPerCall}'s result, divided by {@code per}. */
  static String describe(double[] sorted, double per) {
    return String.format("median %,.0f ns (min %,.0f, max %,.0f)", sorted[sorted.length / 2] / per, sorted[0] / per,
        sorted[sorted.length - 1] / per);
  }
}
