package io.gameevents.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.gameevents.pipeline.Outcome;
import io.gameevents.pipeline.Outcomes;
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

  private static final SerializedString ACCEPTED = new SerializedString("accepted");
  private static final SerializedString DUPLICATES = new SerializedString("duplicates");
  private static final SerializedString REJECTED = new SerializedString("rejected");
  private static final SerializedString SUPPRESSED = new SerializedString("suppressed");
  private static final SerializedString RESULTS = new SerializedString("results");
  /** Room for a typical result ({@code {"index":12,"event_id":"<a UUID>","status":"duplicate"}}: 84), so few grow. */
  private static final int BYTES_PER_RESULT = 96;

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
    return AnswerJson.render(sizeHint(), generator -> {
      generator.writeStartObject();
      writeCounts(generator);
      generator.writeFieldName(RESULTS);
      writeResults(generator);
      generator.writeEndObject();
    });
  }

  /** The 503 when some were not stored: the problem, the counts, then the results. */
  Problem problem(long retryAfterSeconds) {
    Problem problem = Problem.notStored(unavailable, retryAfterSeconds)
        .with("accepted", accepted).with("duplicates", duplicates).with("rejected", rejected);
    // the rare answer: the results are written as the 200's are, and read back into the problem's members
    return (suppressed > 0 ? problem.with("suppressed", suppressed) : problem)
        .with("results", new JsonArray(AnswerJson.render(sizeHint(), this::writeResults)));
  }

  private void writeCounts(JsonGenerator generator) throws IOException {
    generator.writeFieldName(ACCEPTED);
    generator.writeNumber(accepted);
    generator.writeFieldName(DUPLICATES);
    generator.writeNumber(duplicates);
    generator.writeFieldName(REJECTED);
    generator.writeNumber(rejected);
    if (suppressed > 0) {
      generator.writeFieldName(SUPPRESSED);
      generator.writeNumber(suppressed);
    }
  }

  private void writeResults(JsonGenerator generator) throws IOException {
    generator.writeStartArray();
    for (BatchResult result : results) {
      result.write(generator);
    }
    generator.writeEndArray();
  }

  private int sizeHint() {
    return 64 + BYTES_PER_RESULT * results.length;
  }
}
