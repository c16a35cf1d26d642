package io.gameevents.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.gameevents.debugger.Debugger;
import io.gameevents.debugger.Entry;
import io.gameevents.debugger.Status;
import io.gameevents.http.auth.Principal;
import io.gameevents.pipeline.Outcome;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.RoutingContext;

/**
 * The ingest path's one call per event (or per refused request) into the live {@link Debugger}: it hands over
 * references to what the answer was built from, on the answering event loop, and returns. Nothing when the
 * debugger is off.
 */
final class DebugHook {

  private final Debugger debugger;

  DebugHook(Debugger debugger) {
    this.debugger = debugger;
  }

  /**
   * A request, or its single event, refused with {@code problem}.
   *
   * @param event the single event when the body was read as one, else null
   * @param body  the body when it could not be read as events, else null
   */
  void refused(RoutingContext ctx, BodyDecoder.RawEvent event, String eventType, byte[] body, Problem problem) {
    if (debugger.on()) {
      debugger.add(Entry.ofRefusal(RequestIds.of(ctx), keyId(ctx), client(ctx), RequestLog.of(ctx).startNanos,
          event == null ? null : event.node(), eventType, event == null ? null : event.raw(), body, problem.json(),
          problem.status()));
    }
  }

  /** One event of a batch rejected with the {@code errors} its result carries. */
  void rejected(RoutingContext ctx, BodyDecoder.RawEvent event, JsonArray errors) {
    if (debugger.on()) {
      debugger.add(Entry.ofEvent(RequestIds.of(ctx), keyId(ctx), client(ctx), RequestLog.of(ctx).startNanos,
          event == null ? null : event.node(), null, event == null ? null : event.raw(), null, Status.REJECTED,
          errors, null));
    }
  }

  /** What the pipeline did with a valid event; {@code record} is what the sink stored. */
  void outcome(RoutingContext ctx, BodyDecoder.RawEvent event, String eventType, byte[] record, Outcome outcome) {
    if (debugger.on()) {
      Status status = switch (outcome) {
        case ACCEPTED -> Status.ACCEPTED;
        case DUPLICATE -> Status.DUPLICATE;
        default -> Status.UNAVAILABLE;
      };
      JsonNode node = event.node();
      debugger.add(Entry.ofEvent(RequestIds.of(ctx), keyId(ctx), client(ctx), RequestLog.of(ctx).startNanos, node,
          eventType, event.raw(), status == Status.ACCEPTED ? record : null, status, null,
          status == Status.UNAVAILABLE ? Problem.notStoredDetail(outcome) : null));
    }
  }

  private static String client(RoutingContext ctx) {
    ClientAddress client = ClientAddress.of(ctx);
    return client == null ? null : client.address();
  }

  private static String keyId(RoutingContext ctx) {
    Principal principal = RequestGate.principal(ctx);
    return principal == null ? null : principal.credentialId();
  }
}
