package io.gameevents.http;

import io.gameevents.config.AppConfig;
import io.gameevents.http.BodyDecoder.DecodeException;
import io.gameevents.http.BodyDecoder.RawEvent;
import io.gameevents.http.auth.Authenticator;
import io.gameevents.http.auth.Principal;
import io.gameevents.http.problem.Reason;
import io.gameevents.http.validation.FieldError;
import io.gameevents.http.validation.Validation;
import io.gameevents.pipeline.Outcomes;
import io.gameevents.pipeline.PipelineEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static net.logstash.logback.argument.StructuredArguments.keyValue;

/**
 * {@code POST /v1/admin/replay}: refused records, as the refused lake keeps them, sent back through the ingest
 * path's own checks and dedup ({@link IngestHandler#checkReplayed}), for an operator once the schemas in force
 * accept them. Admin only, and served where the debugger is (the management port when one is set), because a
 * refused record carries trusted fields an SDK must never set: when the event was received and which key sent it.
 *
 * <p>Each record is checked as its original key ({@code key_id}) would be now: the key must still be configured
 * and may write the event's app, so an admin token cannot put events under an app their key never could. The
 * stored record keeps {@code received_at} = {@code refused_at} (its age is judged against that) and gets
 * {@code replayed_at}. Dedup makes a second replay of a stored event a {@code duplicate}, within
 * {@code dedup.window_seconds} of the first store, as for any event.
 */
final class ReplayHandler {

  static final String PATH = "/v1/admin/replay";

  private static final Logger log = LoggerFactory.getLogger(ReplayHandler.class);
  /** How far a refused_at may lie ahead of this node's clock: another node may have written it. */
  private static final Duration CLOCK_SLACK = Duration.ofMinutes(1);

  private final IngestHandler ingest;
  private final Authenticator keys;
  private final OperatorTools operators;
  private final BodyDecoder decoder;
  private final BodyReader bodyReader;
  private final int maxRecords;
  private final long retryAfterSeconds;

  /** @param bodyReader reads the body under its own limit ({@link #maxBodyBytes}) and the body timeout */
  ReplayHandler(AppConfig config, long retryAfterSeconds, IngestHandler ingest, Authenticator keys,
                OperatorTools operators, BodyReader bodyReader) {
    this.ingest = ingest;
    this.keys = keys;
    this.operators = operators;
    this.bodyReader = bodyReader;
    this.decoder = new BodyDecoder(config.http().maxEventBytes(), config.http().maxBatchEvents());
    this.maxRecords = config.http().maxBatchEvents();
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /**
   * A replay body's limit: a record holds its event's bytes as a JSON string (escaped) beside its reasons, so a
   * full batch of records takes more than the batch itself.
   */
  static int maxBodyBytes(AppConfig config) {
    return (int) Math.min(Integer.MAX_VALUE, 4L * config.http().maxBodyBytes());
  }

  /** The admin token is checked before the body is read: an unknown caller's body is never buffered. */
  void mount(Router router) {
    router.post(PATH)
        .handler(ctx -> operators.authorizeAdmin(ctx, "replay", admin -> {
          ctx.put(ADMIN, admin);
          ctx.next();
        }))
        .handler(bodyReader)
        .handler(this::replay);
  }

  private static final String ADMIN = "game-events.replay-admin";

  private void replay(RoutingContext ctx) {
    JsonArray records = records(ctx);
    if (records == null) {
      return;
    }
    Instant replayedAt = Instant.now();
    RequestLog request = RequestLog.of(ctx);
    request.events(records.size());
    BatchResult[] results = new BatchResult[records.size()];
    List<PipelineEvent> valid = new ArrayList<>(records.size());
    List<Integer> validIndexes = new ArrayList<>(records.size());
    int suppressed = 0;
    for (int i = 0; i < records.size(); i++) {
      Checked checked = check(i, records.getValue(i), replayedAt, request);
      results[i] = BatchResult.awaiting(i, checked.eventId());
      if (checked instanceof Admit admit) {
        valid.add(admit.event());
        validIndexes.add(i);
      } else if (checked instanceof Refuse refuse) {
        results[i] = results[i].rejected(refuse.invalid().reason().type(),
            IngestHandler.fieldErrorsOf(refuse.invalid()), null);
      } else {
        // the status every SDK build treats as final, as for any suppressed event (docs/privacy.md)
        suppressed++;
        results[i] = results[i].suppressedAnswer();
      }
    }
    int suppressedInReplay = suppressed;
    ingest.admitReplayed(valid)
        .onSuccess(outcomes -> answer(ctx, results, validIndexes, outcomes, suppressedInReplay))
        .onFailure(ctx::fail);
  }

  /** The body's {@code records}, or null once the request was answered 400 or 413. */
  private JsonArray records(RoutingContext ctx) {
    Object records;
    try {
      records = new JsonObject(Buffer.buffer(BodyReader.body(ctx))).getValue("records");
    } catch (RuntimeException notAnObject) {
      records = null;
    }
    if (!(records instanceof JsonArray array)) {
      Problem.of(Reason.MALFORMED_REQUEST, "the body must be a JSON object {\"records\": [...]} holding refused"
          + " records as the refused lake keeps them").errors(new JsonArray().add(IngestHandler.fieldError(
          "/records", "must be an array of refused records"))).send(ctx);
      return null;
    }
    if (array.size() > maxRecords) {
      Problem.of(Reason.PAYLOAD_TOO_LARGE, "a replay request holds at most " + maxRecords
          + " records (http.max_batch_events); it had " + array.size()).send(ctx);
      return null;
    }
    return array;
  }

  /**
   * What becomes of one replayed record, with its event id for the answer: the event's own when it has a textual
   * one, else the record's {@code event_id}, else null.
   */
  private sealed interface Checked permits Admit, Suppressed, Refuse {
    String eventId();
  }

  /** Passed every check: goes through dedup. */
  private record Admit(PipelineEvent event, String eventId) implements Checked {
  }

  /** Passed, but its player or device asked not to be tracked: answered as any suppressed event, stored nowhere. */
  private record Suppressed(String eventId) implements Checked {
  }

  private record Refuse(Validation.Invalid invalid, String eventId) implements Checked {
  }

  /** One record: its own fields, then its event through the ingest path as its original key. */
  private Checked check(int index, Object entry, Instant replayedAt, RequestLog request) {
    String at = "/records/" + index;
    if (!(entry instanceof JsonObject record)) {
      return malformed(at, "must be a refused record (a JSON object)", null);
    }
    String recordEventId = record.getValue("event_id") instanceof String id ? id : null;
    Instant refusedAt;
    try {
      refusedAt = record.getValue("refused_at") instanceof String text ? Instant.parse(text) : null;
    } catch (DateTimeParseException e) {
      refusedAt = null;
    }
    if (refusedAt == null) {
      return malformed(at + "/refused_at", "must be the RFC 3339 UTC time the event was refused", recordEventId);
    }
    if (refusedAt.isAfter(replayedAt.plus(CLOCK_SLACK))) {
      return malformed(at + "/refused_at", "is in the future", recordEventId);
    }
    if (!(record.getValue("key_id") instanceof String keyId) || keyId.isEmpty()) {
      return malformed(at + "/key_id", "must be the id of the API key that sent the event", recordEventId);
    }
    if (Boolean.TRUE.equals(record.getValue("payload_truncated"))) {
      return malformed(at + "/payload_truncated", "the kept bytes are cut short: the event cannot be replayed",
          recordEventId);
    }
    byte[] payload = payload(record);
    if (payload == null) {
      return malformed(at + "/payload", "must be the event's bytes: exactly one of payload (text) and"
          + " payload_base64", recordEventId);
    }
    Optional<Set<String>> apps = keys.appsOfKey(keyId);
    if (apps.isEmpty()) {
      String detail = "the original key \"" + keyId + "\" is not a configured API key now, so its apps are"
          + " unknown; replay writes only what the original key may still write";
      return new Refuse(new Validation.Invalid(Reason.FORBIDDEN_APP, detail,
          List.of(new FieldError(at + "/key_id", detail))), recordEventId);
    }
    RawEvent event;
    try {
      event = decoder.single(payload);
    } catch (DecodeException e) {
      return new Refuse(new Validation.Invalid(e.problem().reason(), e.getMessage(),
          List.of(new FieldError("", e.getMessage()))), recordEventId);
    }
    String eventId = event.node().path("event_id").isTextual() ? event.node().get("event_id").asText()
        : recordEventId;
    // the type the event was sent to (/v1/events/{type}) stands in only for one it does not name itself
    String endpointType = event.node().hasNonNull("event_type") ? null
        : record.getValue("event_type") instanceof String type ? type : null;
    Validation checked = ingest.checkReplayed(event, endpointType, refusedAt, replayedAt,
        new Principal(keyId, apps.get()), request);
    if (checked instanceof Validation.Valid passed) {
      return ingest.suppressedReplayed(passed.event(), event) ? new Suppressed(eventId)
          : new Admit(passed.event(), eventId);
    }
    return new Refuse((Validation.Invalid) checked, eventId);
  }

  private static byte[] payload(JsonObject record) {
    Object text = record.getValue("payload");
    Object base64 = record.getValue("payload_base64");
    if (text instanceof String payload && base64 == null) {
      return payload.getBytes(StandardCharsets.UTF_8);
    }
    if (base64 instanceof String encoded && text == null) {
      try {
        return Base64.getDecoder().decode(encoded);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return null;
  }

  private static Refuse malformed(String pointer, String message, String eventId) {
    return new Refuse(new Validation.Invalid(Reason.MALFORMED_REQUEST, "the refused record is not usable: " + pointer
        + " " + message, List.of(new FieldError(pointer, message))), eventId);
  }

  /** As a batch's answer ({@link BatchAnswer}), and one log line of what the replay did. */
  private void answer(RoutingContext ctx, BatchResult[] results, List<Integer> validIndexes, Outcomes outcomes,
                      int suppressed) {
    BatchAnswer answer = BatchAnswer.of(results, validIndexes, outcomes, suppressed);
    log.info("replay {} {} {} {} {} {}", keyValue("admin", ctx.<String>get(ADMIN)),
        keyValue("records", results.length), keyValue("accepted", answer.accepted()),
        keyValue("duplicates", answer.duplicates()), keyValue("rejected", answer.rejected()),
        keyValue("suppressed", suppressed));
    answer.send(ctx, retryAfterSeconds);
  }
}
