package io.gameevents.http;

import io.gameevents.http.validation.FieldError;
import io.gameevents.pipeline.Outcome;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The answers written straight into bytes ({@link BatchAnswer}, {@link IngestHandler#singleAnswer}) are the bytes the
 * {@code JsonObject} answers they replaced gave, for any text in them: client text (an invalid event id, an error
 * message quoting it) may hold quotes, backslashes, control characters, U+2028, emoji and lone surrogates. The
 * {@code JsonObject} renderings below are those answers' former code, kept here only.
 */
class AnswerBytesPropertyTest {

  @Property(tries = 500)
  void aBatchAnswerIsTheJsonObjectAnswersBytes(@ForAll("answers") BatchAnswer answer) {
    assertThat(text(answer.body())).isEqualTo(text(formerBody(answer)));
  }

  @Property(tries = 300)
  void aNotStoredBatchAnswerIsTheJsonObjectProblemsBytes(@ForAll("answers") BatchAnswer stored,
                                                        @ForAll("notStoredOutcomes") Outcome outcome,
                                                        @ForAll("text") String requestId) {
    BatchAnswer answer = new BatchAnswer(stored.results(), stored.accepted(), stored.duplicates(), stored.rejected(),
        stored.suppressed(), 1, outcome);
    Problem problem = answer.problem(7);
    problem.json().put("request_id", requestId); // as Problem.send puts it
    assertThat(text(problem.body())).isEqualTo(text(formerProblem(answer, 7, requestId)));
  }

  @Property(tries = 300)
  void aSingleAnswerIsTheJsonObjectAnswersBytes(@ForAll("text") String eventId,
                                                @ForAll("durableOutcomes") Outcome outcome) {
    assertThat(text(IngestHandler.singleAnswer(BatchResult.Status.of(outcome), eventId, false))).isEqualTo(text(
        new JsonObject().put("status", outcome == Outcome.ACCEPTED ? "accepted" : "duplicate")
            .put("event_id", eventId).toBuffer()));
    assertThat(text(IngestHandler.singleAnswer(BatchResult.Status.DUPLICATE, eventId, true))).isEqualTo(text(
        new JsonObject().put("status", "duplicate").put("event_id", eventId).put("suppressed", true).toBuffer()));
  }

  /** The cases the property must cover, whatever the generator draws: each is escaped (or not) its own way. */
  @Example
  void edgeTextIsWrittenAsBefore() {
    for (String text : List.of("\"q\\b\"/", "\u0000\u001f\u007f\n\t", "\u2028\u2029", "\ud83d\ude00", "\ud83d",
        "\ude00x", "é€", "")) {
      BatchResult result = BatchResult.awaiting(3, text).rejected(text, List.of(new FieldError(text, text)), true);
      BatchAnswer answer = new BatchAnswer(new BatchResult[] {result}, 0, 0, 1, 0, 0, null);
      assertThat(answer.body().getBytes()).isEqualTo(formerBody(answer).getBytes());
    }
  }

  @Provide
  Arbitrary<String> text() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(20),
        Arbitraries.strings().all().ofMaxLength(12),
        Arbitraries.strings().withChars("\"\\/\u0000\u0008\u001f\u007f\u0080\u2028\u2029\ud83d\ude00\ufffeaZ9 é")
            .ofMaxLength(12));
  }

  @Provide
  Arbitrary<Outcome> notStoredOutcomes() {
    return Arbitraries.of(Outcome.class).filter(outcome -> !outcome.durable());
  }

  @Provide
  Arbitrary<Outcome> durableOutcomes() {
    return Arbitraries.of(Outcome.ACCEPTED, Outcome.DUPLICATE);
  }

  @Provide
  Arbitrary<BatchAnswer> answers() {
    Arbitrary<Integer> count = Arbitraries.integers().between(0, 1000);
    return Combinators.combine(results().list().ofMaxSize(8), count, count, count,
            Arbitraries.integers().between(0, 3))
        .as((results, accepted, duplicates, rejected, suppressed) -> new BatchAnswer(
            results.toArray(BatchResult[]::new), accepted, duplicates, rejected, suppressed, 0, null));
  }

  private Arbitrary<BatchResult> results() {
    Arbitrary<FieldError> error = Combinators.combine(text(), text().injectNull(0.1)).as(FieldError::new);
    return Combinators.combine(Arbitraries.integers().between(0, 100_000), text().injectNull(0.3),
            Arbitraries.of(BatchResult.Status.class), text().injectNull(0.7), error.list().ofMaxSize(3).injectNull(0.5),
            Arbitraries.of(true, false).injectNull(0.6), Arbitraries.of(true, false))
        .as(BatchResult::new);
  }

  /** POST /v1/batch's and replay's 200 as it was built: a JsonObject per result, in the order its members were put. */
  private static Buffer formerBody(BatchAnswer answer) {
    JsonObject summary = new JsonObject().put("accepted", answer.accepted()).put("duplicates", answer.duplicates())
        .put("rejected", answer.rejected());
    if (answer.suppressed() > 0) {
      summary.put("suppressed", answer.suppressed());
    }
    return summary.put("results", formerResults(answer)).toBuffer();
  }

  /** The 503 as it was built, the request id put last when it was sent. */
  private static Buffer formerProblem(BatchAnswer answer, long retryAfterSeconds, String requestId) {
    Problem problem = Problem.notStored(answer.unavailable(), retryAfterSeconds)
        .with("accepted", answer.accepted()).with("duplicates", answer.duplicates()).with("rejected", answer.rejected());
    (answer.suppressed() > 0 ? problem.with("suppressed", answer.suppressed()) : problem)
        .with("results", formerResults(answer));
    return problem.json().put("request_id", requestId).toBuffer();
  }

  private static JsonArray formerResults(BatchAnswer answer) {
    JsonArray results = new JsonArray();
    for (BatchResult result : answer.results()) {
      JsonObject json = new JsonObject().put("index", result.index());
      if (result.eventId() != null) {
        json.put("event_id", result.eventId());
      }
      json.put("status", result.status().name().toLowerCase(java.util.Locale.ROOT));
      if (result.type() != null) {
        json.put("type", result.type());
      }
      if (result.errors() != null) {
        JsonArray errors = new JsonArray();
        for (FieldError error : result.errors()) {
          errors.add(new JsonObject().put("pointer", error.pointer()).put("message", error.message()));
        }
        json.put("errors", errors);
      }
      if (result.kept() != null) {
        json.put("kept", result.kept());
      }
      if (result.suppressed()) {
        json.put("suppressed", true);
      }
      results.add(json);
    }
    return results;
  }

  /** Bytes compared as text so a failure shows where they part; ISO-8859-1 keeps every byte distinct. */
  private static String text(Buffer buffer) {
    return new String(buffer.getBytes(), StandardCharsets.ISO_8859_1);
  }
}
