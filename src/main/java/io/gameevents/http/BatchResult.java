package io.gameevents.http;

import io.gameevents.http.validation.FieldError;
import io.gameevents.pipeline.Outcome;
import io.gameevents.util.JsonBytes;

import java.io.IOException;
import java.util.List;

/**
 * One element's entry in a batch answer ({@code POST /v1/batch} and replay), written in this order, an absent
 * member left out: {@code index}, {@code event_id}, {@code status}, {@code type}, {@code errors}, {@code kept},
 * {@code suppressed}.
 *
 * @param eventId    the element's {@code event_id} as sent when it was a string (even an invalid one), else null
 * @param status     null only while the pipeline's outcome is awaited ({@link #stored})
 * @param type       a refusal's problem type: replay's answer names it, the batch's does not
 * @param errors     a refused element's errors, else null
 * @param kept       whether a refused element was kept; null when its refusal is not about its content
 * @param suppressed answered {@code duplicate} because its player or device asked not to be tracked
 */
record BatchResult(int index, String eventId, Status status, String type, List<FieldError> errors, Boolean kept,
                   boolean suppressed) {

  private static final byte[] INDEX = JsonBytes.ascii("{\"index\":");
  private static final byte[] EVENT_ID = JsonBytes.ascii(",\"event_id\":");
  private static final byte[] STATUS = JsonBytes.ascii(",\"status\":");
  private static final byte[] TYPE = JsonBytes.ascii(",\"type\":");
  private static final byte[] ERRORS = JsonBytes.ascii(",\"errors\":");
  private static final byte[] POINTER = JsonBytes.ascii("{\"pointer\":");
  private static final byte[] COMMA_POINTER = JsonBytes.ascii(",{\"pointer\":");
  private static final byte[] MESSAGE = JsonBytes.ascii(",\"message\":");
  private static final byte[] KEPT = JsonBytes.ascii(",\"kept\":");
  private static final byte[] SUPPRESSED = JsonBytes.ascii(",\"suppressed\":true");

  /** An element's status, as its answer spells it. */
  enum Status {
    ACCEPTED("accepted"), DUPLICATE("duplicate"), UNAVAILABLE("unavailable"), REJECTED("rejected");

    /** The status as a JSON string, quotes included. */
    private final byte[] json;

    Status(String json) {
      this.json = JsonBytes.ascii('"' + json + '"');
    }

    byte[] json() {
      return json;
    }

    /** A stored event's status: {@code unavailable} for every outcome that did not store it. */
    static Status of(Outcome outcome) {
      return switch (outcome) {
        case ACCEPTED -> ACCEPTED;
        case DUPLICATE -> DUPLICATE;
        default -> UNAVAILABLE;
      };
    }
  }

  /** An element whose fate is not decided yet. */
  static BatchResult awaiting(int index, String eventId) {
    return new BatchResult(index, eventId, null, null, null, null, false);
  }

  /** The pipeline's outcome for a valid element. */
  BatchResult stored(Outcome outcome) {
    return new BatchResult(index, eventId, Status.of(outcome), null, null, null, false);
  }

  /** Refused with {@code errors}; {@code type} null unless the answer names it, {@code kept} null until known. */
  BatchResult rejected(String type, List<FieldError> errors, Boolean kept) {
    return new BatchResult(index, eventId, Status.REJECTED, type, errors, kept, false);
  }

  /** A refused element's answer once its keeping is known. */
  BatchResult kept(boolean wasKept) {
    return new BatchResult(index, eventId, status, type, errors, wasKept, suppressed);
  }

  /** Answered {@code duplicate}, the status every SDK build treats as final, and stored nowhere. */
  BatchResult suppressedAnswer() {
    return new BatchResult(index, eventId, Status.DUPLICATE, null, null, null, true);
  }

  void write(JsonBytes out) throws IOException {
    if (status == null) {
      throw new IllegalStateException("element " + index + " answered before its outcome was known");
    }
    out.write(INDEX);
    out.decimal(index);
    if (eventId != null) {
      out.write(EVENT_ID);
      out.text(eventId);
    }
    out.write(STATUS);
    out.write(status.json);
    if (type != null) {
      out.write(TYPE);
      out.text(type);
    }
    if (errors != null) {
      out.write(ERRORS);
      writeErrors(out, errors);
    }
    if (kept != null) {
      out.write(KEPT);
      out.bool(kept);
    }
    if (suppressed) {
      out.write(SUPPRESSED);
    }
    out.write('}');
  }

  /** As {@link IngestHandler#errorsOf} renders them: {@code [{"pointer": ..., "message": ...}, ...]}. */
  static void writeErrors(JsonBytes out, List<FieldError> errors) throws IOException {
    out.write('[');
    for (int i = 0; i < errors.size(); i++) {
      FieldError error = errors.get(i);
      out.write(i == 0 ? POINTER : COMMA_POINTER);
      out.text(error.pointer());
      out.write(MESSAGE);
      out.text(error.message());
      out.write('}');
    }
    out.write(']');
  }
}
