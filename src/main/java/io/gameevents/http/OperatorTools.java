package io.gameevents.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.gameevents.http.auth.AdminTokens;
import io.gameevents.pipeline.Outcome;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What operators use beside ingestion (the live event debugger), built on top of this stage: it is told what the
 * ingest path did with each event, it mounts its own routes beside the probes, and its admin tokens unlock the
 * probes' details. Declared here so the HTTP stage depends on no tool built above it.
 */
public interface OperatorTools {

  /** False when nobody can watch (no admin token configured): the ingest path then builds nothing for it. */
  boolean watching();

  /** Called on the answering event loop: take the references and return. */
  void seen(Seen seen);

  /** As {@link #seen} for each, in order: the valid events of one batch, answered together. */
  void seenAll(List<? extends Seen> seen);

  AdminTokens tokens();

  /** Mounts the tools' routes on the listener that serves them (the management port's, when one is set). */
  void mountRoutes(Router router);

  /**
   * Runs {@code then} with the id of the admin token the request carries; else answers it 401 (429 while the
   * client's address has guessed wrong too often), as the debugger does: one throttle per node for every operator
   * endpoint, so none is an oracle for guessing a token.
   *
   * @param tool what the token opens, for the 401's detail ("replay")
   */
  void authorizeAdmin(RoutingContext ctx, String tool, Consumer<String> then);

  /** Who asked: the request's id, its credential's id (or null), the client's address (or null), when it arrived. */
  record Asker(String requestId, String keyId, String client, long startNanos) {
  }

  /** One thing the ingest path did, as its client saw it. */
  sealed interface Seen permits Refused, Rejected, Handled, Suppressed {
    Asker asker();
  }

  /**
   * A request, or its single event, refused with the {@code problem} document the client got (401, 413, 415, 429,
   * 503...).
   *
   * @param event      the single event, when the body was read as one, else null
   * @param eventType  from the path ({@code /v1/events/{type}}), or null
   * @param received   the single event's bytes, or null
   * @param unreadBody the body, when it could not be read as events, else null
   */
  record Refused(Asker asker, JsonNode event, String eventType, byte[] received, byte[] unreadBody,
                 JsonObject problem, int status) implements Seen {
  }

  /**
   * One event of a batch rejected with the {@code errors} its result carries; {@code event} null if no object;
   * {@code kept} whether it was kept as a refused event, null when its refusal is not about its content.
   */
  record Rejected(Asker asker, JsonNode event, byte[] received, JsonArray errors, Boolean kept) implements Seen {
  }

  /**
   * What the pipeline did with a valid event.
   *
   * @param eventType the type it was validated as: given, so the tools never look into {@code event} for it
   * @param stored    the record the sink stored, when accepted, else null
   * @param detail    why it was not stored, when it was not, else null
   */
  record Handled(Asker asker, JsonNode event, String eventType, byte[] received, Outcome outcome, byte[] stored,
                 String detail) implements Seen {
    public Handled {
      Objects.requireNonNull(eventType, "a valid event's type");
    }
  }

  /**
   * A valid event answered suppressed (200, {@code suppressed: true}) and stored nowhere.
   *
   * @param eventType the type it was validated as, as for {@link Handled}
   */
  record Suppressed(Asker asker, JsonNode event, String eventType, byte[] received) implements Seen {
    public Suppressed {
      Objects.requireNonNull(eventType, "a valid event's type");
    }
  }
}
