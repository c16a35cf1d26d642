package io.gameevents.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.gameevents.dedup.routing.DedupClient;
import io.gameevents.config.AppConfig;
import io.gameevents.http.BodyDecoder.DecodeException;
import io.gameevents.http.BodyDecoder.Element;
import io.gameevents.http.BodyDecoder.RawEvent;
import io.gameevents.http.auth.Principal;
import io.gameevents.http.problem.Reason;
import io.gameevents.http.validation.EventValidator;
import io.gameevents.http.validation.FieldError;
import io.gameevents.http.validation.Validation;
import io.gameevents.delivery.Sinks;
import io.gameevents.metrics.Metrics;
import io.gameevents.pipeline.Outcome;
import io.gameevents.pipeline.Outcomes;
import io.gameevents.pipeline.PipelineEvent;
import io.gameevents.pipeline.WireLimits;
import io.gameevents.privacy.Suppressions;
import io.gameevents.util.JsonBytes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The ingestion endpoints, once {@link RequestGate} admitted the request and {@link BodyReader} read its
 * body: decode, charge the rate limit, check each event (one path for single and batch), forward to
 * dedup, answer. 200 means every stored event is durable; a refusal's status comes from its
 * {@link Reason}, and a 503 (not stored) is always safe to retry.
 */
final class IngestHandler {

  private static final byte[] STATUS = JsonBytes.ascii("{\"status\":");
  private static final byte[] EVENT_ID = JsonBytes.ascii(",\"event_id\":");
  private static final byte[] SUPPRESSED = JsonBytes.ascii(",\"suppressed\":true");

  private final EventValidator validator;
  private final BodyDecoder decoder;
  private final DedupClient dedup;
  private final RateLimits rateLimits;
  private final long retryAfterSeconds;
  private final int maxRecordBytes;
  private final Counter accepted;
  private final Counter duplicates;
  private final Counter rejected;
  private final Counter unavailable;
  private final Counter suppressedEvents;
  private final DebugHook debug;
  private final RefusedKeeping keeping;
  private final Suppressions suppressions;

  /**
   * {@code dedup}, {@code rateLimits}, {@code debug} and {@code keeping} are the HTTP instance's own; the rest is the
   * stage's (its suppression list among them: who asked not to be tracked, whose valid events are answered and
   * stored nowhere).
   */
  IngestHandler(HttpVerticle.Context context, DedupClient dedup, RateLimits rateLimits, DebugHook debug,
                RefusedKeeping keeping) {
    AppConfig config = context.node().config();
    MeterRegistry registry = context.node().registry();
    this.debug = debug;
    this.keeping = keeping;
    this.suppressions = context.suppressions();
    this.suppressedEvents = Metrics.events(registry, "suppressed");
    this.accepted = Metrics.events(registry, "accepted");
    this.duplicates = Metrics.events(registry, "duplicate");
    this.rejected = Metrics.events(registry, "rejected");
    this.unavailable = Metrics.events(registry, "unavailable");
    this.validator = context.validator();
    this.decoder = new BodyDecoder(config.http().maxEventBytes(), config.http().maxBatchEvents());
    this.dedup = dedup;
    this.rateLimits = rateLimits;
    this.retryAfterSeconds = context.delivery().retryAfterSeconds();
    // the wire bound too: a worker refuses a clustered record past it, so the edge must never send one
    this.maxRecordBytes = Math.min(Sinks.maxRecordBytes(context.delivery()), WireLimits.of(config.http()).maxRecordBytes());
  }

  /** POST /v1/events/{type} (endpointType set) and POST /v1/events (endpointType null). */
  void single(RoutingContext ctx, String endpointType) {
    Instant receivedAt = Instant.now();
    Principal principal = RequestGate.principal(ctx);
    RawEvent event;
    try {
      event = decoder.single(BodyReader.body(ctx));
    } catch (DecodeException e) {
      rejected.increment();
      refuseUnreadable(ctx, principal, receivedAt, endpointType, e.problem());
      return;
    }
    RequestLog request = RequestLog.of(ctx);
    request.events(1);
    Problem limited = rateLimits.charge(ctx, principal, 1);
    if (limited != null) {
      refuse(ctx, event, endpointType, null, limited);
      return;
    }
    Validation checked = check(event, endpointType, receivedAt, null, principal, request);
    if (checked instanceof Validation.Invalid invalid) {
      Problem problem = problemOf(invalid);
      if (!RefusedKeeping.forContent(invalid.reason())) {
        refuse(ctx, event, endpointType, null, problem);
        return;
      }
      // kept (or not) before the answer, so "kept": true is as firm as a 200
      keeping.keep(ctx, principal, List.of(keeping.event(ctx, principal, receivedAt, event, endpointType, invalid,
          errorsOf(invalid)))).onSuccess(kept -> refuse(ctx, event, endpointType, null, problem.with("kept", kept[0])));
      return;
    }
    PipelineEvent valid = ((Validation.Valid) checked).event();
    String eventType = ((Validation.Valid) checked).eventType();
    if (suppressed(valid.appId(), event.node())) {
      // the debugger's entry before the answer: a client that saw the answer finds it there
      debug.suppressed(debug.asker(ctx), event, eventType);
      answerSuppressed(ctx, valid.eventId());
      return;
    }
    dedup.admit(List.of(valid)).onSuccess(outcomes -> {
      if (answeredAtShutdownDeadline(ctx)) {
        return;
      }
      debug.outcome(debug.asker(ctx), event, eventType, valid.record(), outcomes.get(0));
      answerSingle(ctx, principal, valid.eventId(), outcomes.get(0));
    });
  }

  /** POST /v1/batch: valid events go through even when others are rejected. */
  void batch(RoutingContext ctx) {
    Instant receivedAt = Instant.now();
    Principal principal = RequestGate.principal(ctx);
    List<Element> elements;
    try {
      elements = decoder.batch(BodyReader.body(ctx));
    } catch (DecodeException e) {
      rejected.increment();
      refuseUnreadable(ctx, principal, receivedAt, null, e.problem());
      return;
    }
    RequestLog request = RequestLog.of(ctx);
    request.events(elements.size());
    // every element counts, before any is checked: a refusal stores nothing of the batch
    Problem limited = rateLimits.charge(ctx, principal, elements.size());
    if (limited != null) {
      refuse(ctx, null, null, null, limited);
      return;
    }
    BatchResult[] results = new BatchResult[elements.size()];
    List<PipelineEvent> valid = new ArrayList<>(elements.size());
    List<Integer> validIndexes = new ArrayList<>(elements.size());
    List<String> validTypes = new ArrayList<>(elements.size());
    OperatorTools.Asker asker = debug.asker(ctx);
    List<RefusedKeeping.Candidate> refusedForContent = new ArrayList<>();
    List<Integer> refusedIndexes = new ArrayList<>();
    int suppressedCount = 0;
    for (int i = 0; i < elements.size(); i++) {
      Element element = elements.get(i);
      if (element.event() == null) {
        rejected.increment();
        // not an event object (or too big for one): nothing of it to keep, no app to keep it for
        List<FieldError> errors = List.of(new FieldError("", element.problem()));
        results[i] = BatchResult.awaiting(i, null).rejected(null, errors, false);
        debug.rejected(ctx, element.event(), errors, false);
        continue;
      }
      var node = element.event().node();
      results[i] = BatchResult.awaiting(i, node.path("event_id").isTextual() ? node.get("event_id").asText() : null);
      Validation checked = check(element.event(), null, receivedAt, null, principal, request);
      if (checked instanceof Validation.Invalid invalid) {
        List<FieldError> errors = fieldErrorsOf(invalid);
        results[i] = results[i].rejected(null, errors, null);
        if (RefusedKeeping.forContent(invalid.reason())) {
          // whether it was kept goes into its result once the keeping is done, before the answer
          refusedForContent.add(keeping.event(ctx, principal, receivedAt, element.event(), null, invalid,
              errorsOf(errors)));
          refusedIndexes.add(i);
        } else {
          debug.rejected(ctx, element.event(), errors, null);
        }
      } else if (suppressed(((Validation.Valid) checked).event().appId(), node)) {
        suppressedCount++;
        suppressedEvents.increment();
        results[i] = results[i].suppressedAnswer();
        debug.suppressed(asker, element.event(), ((Validation.Valid) checked).eventType());
      } else {
        valid.add(((Validation.Valid) checked).event());
        validIndexes.add(i);
        validTypes.add(((Validation.Valid) checked).eventType());
      }
    }
    int suppressedInBatch = suppressedCount;
    Future<Outcomes> delivered = valid.isEmpty()
        ? Future.succeededFuture(Outcomes.of(0)) : dedup.admit(valid);
    // the refused ones are kept while the valid ones are stored, and both are done before the answer
    Future<boolean[]> kept = refusedForContent.isEmpty()
        ? Future.succeededFuture(new boolean[0]) : keeping.keep(ctx, principal, refusedForContent);
    Future<Outcomes> done = refusedForContent.isEmpty()
        ? delivered : Future.all(delivered, kept).map(both -> both.resultAt(0));
    done.onSuccess(outcomes -> {
      if (answeredAtShutdownDeadline(ctx)) {
        return;
      }
      boolean[] keptFlags = kept.result();
      for (int j = 0; j < refusedIndexes.size(); j++) {
        int index = refusedIndexes.get(j);
        results[index] = results[index].kept(keptFlags[j]);
        debug.rejected(ctx, elements.get(index).event(), results[index].errors(), keptFlags[j]);
      }
      // the debugger's entries before the answer, so its order is the order the client saw answers in
      debug.outcomes(asker, elements, validIndexes, validTypes, valid, outcomes);
      answerBatch(ctx, principal, results, validIndexes, outcomes, suppressedInBatch);
    });
  }

  /**
   * One refused event replayed by an operator ({@link ReplayHandler}): the same steps as an event sent now, as its
   * original credential {@code original}, received when it was refused ({@code refusedAt}, so its age is judged
   * against that), its record marked with {@code replayedAt}.
   */
  Validation checkReplayed(RawEvent event, String endpointType, Instant refusedAt, Instant replayedAt,
                           Principal original, RequestLog request) {
    return check(event, endpointType, refusedAt, replayedAt, original, request);
  }

  /**
   * Whether a replayed event that passed its checks is of a player or device that asked not to be tracked: then
   * it is answered suppressed and stored nowhere, as if it were sent now, and counted so.
   */
  boolean suppressedReplayed(PipelineEvent event, RawEvent raw) {
    if (!suppressed(event.appId(), raw.node())) {
      return false;
    }
    suppressedEvents.increment();
    return true;
  }

  /** Replayed events that passed, through dedup as a batch's: each outcome is counted when it comes back. */
  Future<Outcomes> admitReplayed(List<PipelineEvent> events) {
    Future<Outcomes> admitted = events.isEmpty() ? Future.succeededFuture(Outcomes.of(0)) : dedup.admit(events);
    return admitted.onSuccess(outcomes -> {
      for (int i = 0; i < events.size(); i++) {
        count(outcomes.get(i));
      }
    });
  }

  /**
   * The steps each event takes, alone, in a batch or replayed, so they can't drift: may the credential write
   * its app, is it valid, does its record fit the sink. A refusal is counted here, when it is decided,
   * so it counts whatever becomes of the request's answer.
   *
   * @param replayedAt null, except for a replayed event ({@link #checkReplayed})
   */
  private Validation check(RawEvent event, String endpointType, Instant receivedAt, Instant replayedAt,
                           Principal principal, RequestLog request) {
    JsonNode node = event.node();
    String appId = node.path("app_id").isTextual() ? node.get("app_id").asText() : null;
    if (principal.namesApp(appId)) {
      request.app(appId);
    } else if (!principal.mayWrite(appId) && appId != null) {
      rejected.increment();
      Validation.Invalid badAppId = appIdErrors(node, event.raw(), endpointType, receivedAt);
      return badAppId != null ? badAppId : forbidden(appId);
    }
    Validation validation = validator.validate(node, event.raw(), endpointType, receivedAt, replayedAt);
    if (validation instanceof Validation.Valid passed) {
      request.app(passed.event().appId());
      if (passed.event().record().length > maxRecordBytes) {
        rejected.increment();
        return tooLargeForSink(passed.event());
      }
    } else {
      rejected.increment();
    }
    return validation;
  }

  /**
   * Whether the event's player or device asked not to be tracked (after validation: the ids are well formed; before
   * dedup: nothing of it is kept anywhere, not even its event id).
   */
  private boolean suppressed(String appId, JsonNode node) {
    JsonNode player = node.get("player_id");
    JsonNode context = node.get("context");
    JsonNode device = context == null ? null : context.get("device_id");
    return suppressions.suppressed(appId, player == null ? null : player.textValue(),
        device == null ? null : device.textValue());
  }

  /**
   * A suppressed event's 200: shipped SDKs requeue a batch result whose status they don't know, so its status is
   * {@code duplicate}, final for every build, and the flag tells new ones what happened.
   */
  private void answerSuppressed(RoutingContext ctx, String eventId) {
    suppressedEvents.increment();
    ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json")
        .end(singleAnswer(BatchResult.Status.DUPLICATE, eventId, true));
  }

  private void answerSingle(RoutingContext ctx, Principal principal, String eventId, Outcome outcome) {
    count(outcome);
    if (outcome.durable()) {
      ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json")
          .end(singleAnswer(BatchResult.Status.of(outcome), eventId, false));
    } else {
      rateLimits.giveBack(ctx, principal, 1); // not stored: its retry should not pay twice
      Problem.notStored(outcome, retryAfterSeconds).with("event_id", eventId).send(ctx);
    }
  }

  /** A single event's 200: {@code {"status": ..., "event_id": ..., "suppressed": true}}, the flag only when set. */
  static Buffer singleAnswer(BatchResult.Status status, String eventId, boolean suppressed) {
    return AnswerJson.render(out -> {
      out.write(STATUS);
      out.write(status.json());
      out.write(EVENT_ID);
      out.text(eventId);
      if (suppressed) {
        out.write(SUPPRESSED);
      }
      out.write('}');
    });
  }

  /** @param suppressed events answered suppressed (see {@link BatchAnswer}) */
  private void answerBatch(RoutingContext ctx, Principal principal, BatchResult[] results, List<Integer> validIndexes,
                           Outcomes outcomes, int suppressed) {
    for (int j = 0; j < outcomes.size(); j++) {
      count(outcomes.get(j));
    }
    BatchAnswer answer = BatchAnswer.of(results, validIndexes, outcomes, suppressed);
    rateLimits.giveBack(ctx, principal, answer.notStored()); // not stored: their retry should not pay twice
    answer.send(ctx, retryAfterSeconds);
  }

  /**
   * The drain's deadline came first and the request got its 503 (see {@link RequestGate#refuseUnanswered}):
   * the pipeline's outcome is dropped, so the client never sees a late success after that 503.
   */
  private static boolean answeredAtShutdownDeadline(RoutingContext ctx) {
    return ctx.response().ended();
  }

  private Validation.Invalid tooLargeForSink(PipelineEvent event) {
    return new Validation.Invalid(Reason.PAYLOAD_TOO_LARGE, "the stored record of this event would be "
        + event.record().length + " bytes; the service stores at most " + maxRecordBytes
        + " bytes per record (make properties smaller)", List.of());
  }

  private static Validation.Invalid forbidden(String appId) {
    String detail = "this credential may not write events for app_id \"" + appId + "\"";
    return new Validation.Invalid(Reason.FORBIDDEN_APP, detail, List.of(new FieldError("/app_id", detail)));
  }

  private void count(Outcome outcome) {
    switch (outcome) {
      case ACCEPTED -> accepted.increment();
      case DUPLICATE -> duplicates.increment();
      default -> unavailable.increment();
    }
  }

  /**
   * For an app_id the credential may not write: when the app_id itself is malformed (a control
   * character at position 2), the validation that says so, every wrong field named, rather than a
   * 403; null for a well-formed app_id, whose answer is a plain 403. Only a forbidden event pays for it.
   */
  private Validation.Invalid appIdErrors(JsonNode node, byte[] raw, String endpointType, Instant receivedAt) {
    return validator.validate(node, raw, endpointType, receivedAt) instanceof Validation.Invalid invalid
        && invalid.errors().stream().anyMatch(error -> error.pointer().equals("/app_id")) ? invalid : null;
  }

  /** A single event's refusal: the batch's per-event errors are the same list, as {@code errors}. */
  private static Problem problemOf(Validation.Invalid invalid) {
    Problem problem = Problem.of(invalid.reason(), invalid.detail());
    return invalid.reason().listsFields() ? problem.errors(errorsOf(invalid)) : problem;
  }

  static JsonArray errorsOf(Validation.Invalid invalid) {
    return errorsOf(fieldErrorsOf(invalid));
  }

  /** An invalid event's errors: each field's, or the detail for the event as a whole when none names a field. */
  static List<FieldError> fieldErrorsOf(Validation.Invalid invalid) {
    return invalid.errors().isEmpty() ? List.of(new FieldError("", invalid.detail())) : invalid.errors();
  }

  /** As the answers write them ({@link BatchResult#writeErrors}), for the debugger and the refused lake. */
  static JsonArray errorsOf(List<FieldError> errors) {
    JsonArray json = new JsonArray();
    for (FieldError error : errors) {
      json.add(fieldError(error.pointer(), error.message()));
    }
    return json;
  }

  /**
   * A body that could not be read as events: a malformed one (not JSON, not UTF-8) is kept whole, within
   * bounds, since it is usually an SDK's bug worth seeing; one refused for its size is not.
   */
  private void refuseUnreadable(RoutingContext ctx, Principal principal, Instant receivedAt, String endpointType,
                                Problem problem) {
    byte[] body = BodyReader.body(ctx);
    if (!RefusedKeeping.forContent(problem.reason())) {
      refuse(ctx, null, endpointType, body, problem);
      return;
    }
    JsonArray reasons = new JsonArray().add(fieldError("", problem.json().getString("detail")));
    keeping.keep(ctx, principal, List.of(keeping.unreadable(ctx, principal, receivedAt, endpointType, body,
        problem.reason(), reasons))).onSuccess(kept -> refuse(ctx, null, endpointType, body, problem.with("kept", kept[0])));
  }

  /** Answers a refused request (or single event) and shows it in the debugger. */
  private void refuse(RoutingContext ctx, RawEvent event, String eventType, byte[] body, Problem problem) {
    problem.send(ctx);
    debug.refused(ctx, event, eventType, body, problem);
  }

  static JsonObject fieldError(String pointer, String message) {
    return new JsonObject().put("pointer", pointer).put("message", message);
  }
}
