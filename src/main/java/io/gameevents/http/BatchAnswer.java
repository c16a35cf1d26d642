package io.gameevents.http;

import io.gameevents.pipeline.Outcome;
import io.gameevents.pipeline.Outcomes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

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
record BatchAnswer(JsonObject[] results, int accepted, int duplicates, int rejected, int suppressed, int notStored,
                   Outcome unavailable) {

  /**
   * Puts each stored event's status in its result.
   *
   * @param validIndexes the index in {@code results} of each event the pipeline was given, in {@code outcomes}' order
   */
  static BatchAnswer of(JsonObject[] results, List<Integer> validIndexes, Outcomes outcomes, int suppressed) {
    int accepted = 0;
    int duplicates = 0;
    int notStored = 0;
    Outcome unavailable = null;
    for (int j = 0; j < validIndexes.size(); j++) {
      Outcome outcome = outcomes.get(j);
      JsonObject result = results[validIndexes.get(j)];
      switch (outcome) {
        case ACCEPTED -> {
          accepted++;
          result.put("status", "accepted");
        }
        case DUPLICATE -> {
          duplicates++;
          result.put("status", "duplicate");
        }
        default -> {
          unavailable = outcome;
          notStored++;
          result.put("status", "unavailable");
        }
      }
    }
    int rejected = results.length - validIndexes.size() - suppressed;
    return new BatchAnswer(results, accepted, duplicates, rejected, suppressed, notStored, unavailable);
  }

  void send(RoutingContext ctx, long retryAfterSeconds) {
    JsonArray list = new JsonArray(List.of((Object[]) results));
    if (unavailable != null) {
      Problem problem = Problem.notStored(unavailable, retryAfterSeconds)
          .with("accepted", accepted).with("duplicates", duplicates).with("rejected", rejected);
      (suppressed > 0 ? problem.with("suppressed", suppressed) : problem).with("results", list).send(ctx);
      return;
    }
    JsonObject summary = new JsonObject().put("accepted", accepted).put("duplicates", duplicates)
        .put("rejected", rejected);
    if (suppressed > 0) {
      summary.put("suppressed", suppressed);
    }
    ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json")
        .end(summary.put("results", list).toBuffer());
  }
}
