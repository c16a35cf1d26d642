package io.gameevents.http;

import io.gameevents.pipeline.Outcome;
import io.gameevents.pipeline.Outcomes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A 100-event batch's answer, every event accepted: its results built and written, as {@link BatchAnswer} does it
 * and as the {@code JsonObject} per element it replaced did. Run with
 * {@code bench/jmh.sh BatchAnswerBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BatchAnswerBenchmark {

  private static final int EVENTS = 100;

  private final String[] eventIds = new String[EVENTS];
  private final List<Integer> indexes = new ArrayList<>();
  private final Outcomes outcomes = Outcomes.all(EVENTS, Outcome.ACCEPTED);

  public BatchAnswerBenchmark() {
    for (int i = 0; i < EVENTS; i++) {
      eventIds[i] = "5a7e9c2b-4f6d-4b1a-8e3c-7d9f0a1b" + String.format("%04d", i);
      indexes.add(i);
    }
  }

  @Benchmark
  public Buffer direct() {
    BatchResult[] results = new BatchResult[EVENTS];
    for (int i = 0; i < EVENTS; i++) {
      results[i] = BatchResult.awaiting(i, eventIds[i]);
    }
    return BatchAnswer.of(results, indexes, outcomes, 0).body();
  }

  /** The former answer: a JsonObject per element, the summary around them, encoded by Vert.x. */
  @Benchmark
  public Buffer jsonObjects() {
    JsonObject[] results = new JsonObject[EVENTS];
    for (int i = 0; i < EVENTS; i++) {
      results[i] = new JsonObject().put("index", i).put("event_id", eventIds[i]);
    }
    int accepted = 0;
    for (int j = 0; j < EVENTS; j++) {
      results[indexes.get(j)].put("status", "accepted");
      accepted++;
    }
    return new JsonObject().put("accepted", accepted).put("duplicates", 0).put("rejected", 0)
        .put("results", new JsonArray(List.of((Object[]) results))).toBuffer();
  }
}
