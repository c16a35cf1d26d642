package io.gameevents.http;

import io.gameevents.http.auth.Principal;
import io.gameevents.pipeline.Outcome;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.RoutingContext;

/**
 * The ingest path's one call per event (or per refused request) into the {@link OperatorTools}: it hands over
 * references to what the answer was built from, on the answering event loop, and returns. Nothing is built when
 * nobody can watch.
 */
final class DebugHook {

  private final OperatorTools tools;

  DebugHook(OperatorTools tools) {
    this.tools = tools;
  }

  /**
   * A request, or its single event, refused with {@code problem}.
   *
   * @param event the single event when the body was read as one, else null
   * @param body  the body when it could not be read as events, else null
   */
  void refused(RoutingContext ctx, BodyDecoder.RawEvent event, String eventType, byte[] body, Problem problem) {
    if (tools.watching()) {
      tools.seen(new OperatorTools.Refused(asker(ctx), event == null ? null : event.node(), eventType,
          event == null ? null : event.raw(), body, problem.json(), problem.status()));
    }
  }

  /** One event of a batch rejected with the {@code errors} its result carries; {@code kept} as its result says. */
  void rejected(RoutingContext ctx, BodyDecoder.RawEvent event, JsonArray errors, Boolean kept) {
    if (tools.watching()) {
      tools.seen(new OperatorTools.Rejected(asker(ctx), event == null ? null : event.node(),
          event == null ? null : event.raw(), errors, kept));
    }
  }

  /** What the pipeline did with a valid event; {@code record} is what the sink stored. */
  void outcome(RoutingContext ctx, BodyDecoder.RawEvent event, String eventType, byte[] record, Outcome outcome) {
    if (tools.watching()) {
      boolean stored = outcome == Outcome.ACCEPTED;
      boolean notStored = !stored && outcome != Outcome.DUPLICATE;
      tools.seen(new OperatorTools.Handled(asker(ctx), event.node(), eventType, event.raw(), outcome,
          stored ? record : null, notStored ? Problem.notStoredDetail(outcome) : null));
    }
  }

  /** A valid event answered suppressed: stored nowhere, its player or device asked not to be tracked. */
  void suppressed(RoutingContext ctx, BodyDecoder.RawEvent event, String eventType) {
    if (tools.watching()) {
      tools.seen(new OperatorTools.Suppressed(asker(ctx), event.node(), eventType, event.raw()));
    }
  }

  private static OperatorTools.Asker asker(RoutingContext ctx) {
    ClientAddress client = ClientAddress.of(ctx);
    Principal principal = RequestGate.principal(ctx);
    return new OperatorTools.Asker(RequestIds.of(ctx), principal == null ? null : principal.credentialId(),
        client == null ? null : client.address(), RequestLog.of(ctx).startNanos);
  }
}
