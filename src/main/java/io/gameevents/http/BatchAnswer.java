package io.gameevents.http;

import io.gameevents.pipeline.Outcome;
import io.gameevents.pipeline.Outcomes;
import io.gameevents.util.JsonBytes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.util.List;

/**
 * The answer to many events at once, {@code POST /v1/batch}'s and replay's alike: each stored event's status in its
 * result, the counts, and 200, or an honest 503 when some were not stored (a retry of the whole request is safe: the
 * stored ones come back as duplicates).
 *
 * @param notStored   events the pipeline could not store (each {@code unavailable} in its result)
 * @param unavailable why the last of them was not stored, or null when every event was stored
 * @param suppressed  events answered suppressed: in the results, counted in neither accepted, duplicates nor rejected,
 *                    and in the summary only when there are some, so an answer nobody in it is suppressed reads as
 *                    before
 */
record BatchAnswer(BatchResult[] results, int accepted, int duplicates, int rejected, int suppressed, int notStored,
                   Outcome unavailable) {

  private static final byte[] ACCEPTED = JsonBytes.ascii("{\"accepted\":");
  private static final byte[] DUPLICATES = JsonBytes.ascii(",\"duplicates\":");
  private static final byte[] REJECTED = JsonBytes.ascii(",\"rejected\":");
  private static final byte[] SUPPRESSED = JsonBytes.ascii(",\"suppressed\":");
  private static final byte[] RESULTS = JsonBytes.ascii(",\"results\":");

  /**
   * Puts each stored event's status in its result.
   *
   * @param validIndexes the index in {@code results} of each event the pipeline was given, in {@code outcomes}' order
   */
  static BatchAnswer of(BatchResult[] results, List<Integer> validIndexes, Outcomes outcomes, int suppressed) {
    int accepted = 0;
    int duplicates = 0;
    int notStored = 0;
    Outcome unavailable = null;
    for (int j = 0; j < validIndexes.size(); j++) {
      Outcome outcome = outcomes.get(j);
      int index = validIndexes.get(j);
      results[index] = results[index].stored(outcome);
      switch (outcome) {
        case ACCEPTED -> accepted++;
        case DUPLICATE -> duplicates++;
        default -> {
          unavailable = outcome;
          notStored++;
        }
      }
    }
    int rejected = results.length - validIndexes.size() - suppressed;
    return new BatchAnswer(results, accepted, duplicates, rejected, suppressed, notStored, unavailable);
  }

  void send(RoutingContext ctx, long retryAfterSeconds) {
    if (unavailable != null) {
      problem(retryAfterSeconds).send(ctx);
      return;
    }
    ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(body());
  }

  /** The 200's body: the counts, then the results. */
  Buffer body() {
    return AnswerJson.render(out -> {
      writeCounts(out);
      out.write(RESULTS);
      writeResults(out);
      out.write('}');
    });
  }

  /** The 503 when some were not stored: the problem, the counts, then the results. */
  Problem problem(long retryAfterSeconds) {
    Problem problem = Problem.notStored(unavailable, retryAfterSeconds)
        .with("accepted", accepted).with("duplicates", duplicates).with("rejected", rejected);
    // the rare answer: the results are written as the 200's are, and read back into the problem's members
    return (suppressed > 0 ? problem.with("suppressed", suppressed) : problem)
        .with("results", new JsonArray(AnswerJson.render(this::writeResults)));
  }

  /** {@code {"accepted":1,"duplicates":0,"rejected":0}} without its closing brace, suppressed only when some were. */
  private void writeCounts(JsonBytes out) {
    out.write(ACCEPTED);
    out.decimal(accepted);
    out.write(DUPLICATES);
    out.decimal(duplicates);
    out.write(REJECTED);
    out.decimal(rejected);
    if (suppressed > 0) {
      out.write(SUPPRESSED);
      out.decimal(suppressed);
    }
  }

  private void writeResults(JsonBytes out) throws IOException {
    out.write('[');
    for (int i = 0; i < results.length; i++) {
      if (i > 0) {
        out.write(',');
      }
      results[i].write(out);
    }
    out.write(']');
  }
}
