package io.gameevents.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.gameevents.http.validation.FieldError;
import io.gameevents.pipeline.Outcome;

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

  private static final SerializedString INDEX = new SerializedString("index");
  private static final SerializedString EVENT_ID = new SerializedString("event_id");
  private static final SerializedString STATUS = new SerializedString("status");
  private static final SerializedString TYPE = new SerializedString("type");
  private static final SerializedString ERRORS = new SerializedString("errors");
  private static final SerializedString POINTER = new SerializedString("pointer");
  private static final SerializedString MESSAGE = new SerializedString("message");
  private static final SerializedString KEPT = new SerializedString("kept");
  private static final SerializedString SUPPRESSED = new SerializedString("suppressed");

  /** An element's status, as its answer spells it. */
  enum Status {
    ACCEPTED("accepted"), DUPLICATE("duplicate"), UNAVAILABLE("unavailable"), REJECTED("rejected");

    private final SerializedString json;

    Status(String json) {
      this.json = new SerializedString(json);
    }

    SerializedString json() {
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

  void write(JsonGenerator generator) throws IOException {
    if (status == null) {
      throw new IllegalStateException("element " + index + " answered before its outcome was known");
    }
    generator.writeStartObject();
    generator.writeFieldName(INDEX);
    generator.writeNumber(index);
    if (eventId != null) {
      generator.writeFieldName(EVENT_ID);
      generator.writeString(eventId);
    }
    generator.writeFieldName(STATUS);
    generator.writeString(status.json);
    if (type != null) {
      generator.writeFieldName(TYPE);
      generator.writeString(type);
    }
    if (errors != null) {
      generator.writeFieldName(ERRORS);
      writeErrors(generator, errors);
    }
    if (kept != null) {
      generator.writeFieldName(KEPT);
      generator.writeBoolean(kept);
    }
    if (suppressed) {
      generator.writeFieldName(SUPPRESSED);
      generator.writeBoolean(true);
    }
    generator.writeEndObject();
  }

  /** As {@link IngestHandler#errorsOf} renders them: {@code [{"pointer": ..., "message": ...}, ...]}. */
  static void writeErrors(JsonGenerator generator, List<FieldError> errors) throws IOException {
    generator.writeStartArray();
    for (FieldError error : errors) {
      generator.writeStartObject();
      generator.writeFieldName(POINTER);
      generator.writeString(error.pointer());
      generator.writeFieldName(MESSAGE);
      generator.writeString(error.message());
      generator.writeEndObject();
    }
    generator.writeEndArray();
  }
}
