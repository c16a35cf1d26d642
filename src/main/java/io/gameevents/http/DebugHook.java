package io.gameevents.http;

import io.gameevents.http.auth.Principal;
import io.gameevents.http.validation.FieldError;
import io.gameevents.pipeline.Outcome;
import io.gameevents.pipeline.Outcomes;
import io.gameevents.pipeline.PipelineEvent;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;

/**
 * The ingest path's one call per event (per refused request, per batch's valid events) into the
 * {@link OperatorTools}: it hands over references to what the answer was built from, on the answering event
 * loop, and returns. Nothing is built when nobody can watch.
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
      tools.seen(new OperatorTools.Refused(askerOf(ctx), event == null ? null : event.node(), eventType,
          event == null ? null : event.raw(), body, problem.json(), problem.status()));
    }
  }

  /** One event of a batch rejected with the {@code errors} its result carries; {@code kept} as its result says. */
  void rejected(RoutingContext ctx, BodyDecoder.RawEvent event, List<FieldError> errors, Boolean kept) {
    if (tools.watching()) {
      tools.seen(new OperatorTools.Rejected(askerOf(ctx), event == null ? null : event.node(),
          event == null ? null : event.raw(), IngestHandler.errorsOf(errors), kept));
    }
  }

  /**
   * Who asked, for {@link #outcome} and {@link #suppressed}: looked up once per request (a batch's events share
   * it, and each look-up is a search of the request's context); null when nobody can watch.
   */
  OperatorTools.Asker asker(RoutingContext ctx) {
    return tools.watching() ? askerOf(ctx) : null;
  }

  /**
   * What the pipeline did with a valid event; {@code record} is what the sink stored.
   *
   * @param asker     {@link #asker}: nothing happens when it is null
   * @param eventType the type the event was validated as
   */
  void outcome(OperatorTools.Asker asker, BodyDecoder.RawEvent event, String eventType, byte[] record,
               Outcome outcome) {
    if (asker != null) {
      tools.seen(handled(asker, event, eventType, record, outcome));
    }
  }

  /**
   * What the pipeline did with the valid events of one batch, handed over in one call so the tools take their
   * bookkeeping (clock, sequence numbers) once for the batch, not once per event.
   *
   * @param asker   {@link #asker}: nothing happens when it is null
   * @param indexes where each valid event is in {@code elements}
   * @param types   the type each valid event was validated as
   * @param valid   the valid events, in the order of {@code outcomes}
   */
  void outcomes(OperatorTools.Asker asker, List<BodyDecoder.Element> elements, List<Integer> indexes,
                List<String> types, List<PipelineEvent> valid, Outcomes outcomes) {
    if (asker == null || valid.isEmpty()) {
      return;
    }
    List<OperatorTools.Seen> seen = new ArrayList<>(valid.size());
    for (int j = 0; j < valid.size(); j++) {
      seen.add(handled(asker, elements.get(indexes.get(j)).event(), types.get(j), valid.get(j).record(),
          outcomes.get(j)));
    }
    tools.seenAll(seen);
  }

  private static OperatorTools.Handled handled(OperatorTools.Asker asker, BodyDecoder.RawEvent event,
                                               String eventType, byte[] record, Outcome outcome) {
    boolean stored = outcome == Outcome.ACCEPTED;
    boolean notStored = !stored && outcome != Outcome.DUPLICATE;
    return new OperatorTools.Handled(asker, event.node(), eventType, event.raw(), outcome, stored ? record : null,
        notStored ? Problem.notStoredDetail(outcome) : null);
  }

  /**
   * A valid event answered suppressed: stored nowhere, its player or device asked not to be tracked.
   *
   * @param asker     {@link #asker}: nothing happens when it is null
   * @param eventType the type the event was validated as
   */
  void suppressed(OperatorTools.Asker asker, BodyDecoder.RawEvent event, String eventType) {
    if (asker != null) {
      tools.seen(new OperatorTools.Suppressed(asker, event.node(), eventType, event.raw()));
    }
  }

  private static OperatorTools.Asker askerOf(RoutingContext ctx) {
    ClientAddress client = ClientAddress.of(ctx);
    Principal principal = RequestGate.principal(ctx);
    return new OperatorTools.Asker(RequestIds.of(ctx), principal == null ? null : principal.credentialId(),
        client == null ? null : client.address(), RequestLog.of(ctx).startNanos);
  }
}
