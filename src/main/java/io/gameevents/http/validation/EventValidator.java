package io.gameevents.http.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import io.gameevents.config.ValidationConfig;
import io.gameevents.http.problem.Reason;
import io.gameevents.pipeline.PipelineEvent;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Checks one event against its type's JSON Schema and the data-quality rules, and builds its warehouse
 * record. Schemas are compiled once in {@link #load}; {@link #validate} is thread-safe and never throws.
 */
public final class EventValidator {

  private static final int MAX_ECHOED_TYPE_CHARS = 64;
  /** Fields the record and the dedup key need, whatever a (custom) schema says. */
  private static final List<String> PIPELINE_FIELDS =
      List.of("event_id", "occurred_at", "player_id", "app_id", "platform");

  private final ValidationConfig config;
  private final Map<String, SortedMap<Integer, EventSchema>> schemas;
  private final Map<String, Map<Integer, RecordColumns.Custom>> customColumns;
  private final Set<String> eventTypes;
  private final Map<String, String> schemaFiles;

  private EventValidator(ValidationConfig config, SchemaCatalog catalog, boolean fastPath) {
    this.config = config;
    this.schemas = new LinkedHashMap<>(catalog.schemasByType());
    if (!fastPath) {
      schemas.replaceAll((type, versions) -> withoutFastPath(versions));
    }
    this.customColumns = catalog.customColumns();
    this.eventTypes = Collections.unmodifiableSet(new LinkedHashSet<>(schemas.keySet()));
    this.schemaFiles = catalog.files();
  }

  /**
   * Compiles the schema of every type in {@code validation.event_types}.
   *
   * @throws io.gameevents.config.ConfigException naming the key and file when a type has no (valid) schema
   */
  public static EventValidator load(ValidationConfig config) {
    return new EventValidator(config, SchemaCatalog.load(config), true);
  }

  /** The same validator with networknt alone checking the schema: what the fast path is tested and measured against. */
  static EventValidator loadWithoutFastPath(ValidationConfig config) {
    return new EventValidator(config, SchemaCatalog.load(config), false);
  }

  private static SortedMap<Integer, EventSchema> withoutFastPath(SortedMap<Integer, EventSchema> versions) {
    SortedMap<Integer, EventSchema> without = new TreeMap<>();
    versions.forEach((version, schema) -> without.put(version, schema.withoutFastPath()));
    return Collections.unmodifiableSortedMap(without);
  }

  /** The schema of a type's version, or null; for the tests of the fast path. */
  EventSchema schema(String type, int version) {
    return schemas.containsKey(type) ? schemas.get(type).get(version) : null;
  }

  public boolean knows(String eventType) {
    return eventType != null && schemas.containsKey(eventType);
  }

  /** The configured event types, in configuration order. */
  public Set<String> eventTypes() {
    return eventTypes;
  }

  /** The event types' versions, by type, in configuration order (1, 2... for {@code install.v1.json}...). */
  public Map<String, Set<Integer>> versions() {
    Map<String, Set<Integer>> versions = new LinkedHashMap<>();
    schemas.forEach((type, byVersion) -> versions.put(type, Collections.unmodifiableSet(byVersion.keySet())));
    return Collections.unmodifiableMap(versions);
  }

  /**
   * The schema files the validation uses, by file name ({@code install.v1.json}, {@code common.v1.json}...),
   * as their text: the public contract served under /schemas/ and described in /openapi.yaml.
   */
  public Map<String, String> schemaFiles() {
    return schemaFiles;
  }

  /**
   * @param event        the parsed event
   * @param raw          the exact bytes of this event as received; becomes {@code raw_payload}
   * @param endpointType "install"/"purchase" for a typed endpoint, null for the generic one
   *                     (the type is then the event's {@code event_type})
   * @param receivedAt   when the server received the request
   */
  public Validation validate(JsonNode event, byte[] raw, String endpointType, Instant receivedAt) {
    return validate(event, raw, endpointType, receivedAt, null);
  }

  /**
   * A replayed refused event: checked as when it arrived ({@code receivedAt} is the refused record's
   * {@code refused_at}, so its age is judged against that), and its record carries {@code replayedAt}.
   *
   * @param replayedAt when the replay happened, or null for an event the game sent now
   */
  public Validation validate(JsonNode event, byte[] raw, String endpointType, Instant receivedAt, Instant replayedAt) {
    try {
      return check(event, raw, endpointType, receivedAt, replayedAt);
    } catch (RuntimeException | StackOverflowError e) {
      // the contract is "never throws": a validator bug or a pathological input becomes a 400, not a 500
      return invalid("The event could not be validated: " + e.getClass().getSimpleName(),
          List.of(new FieldError("", "could not be validated")));
    }
  }

  private Validation check(JsonNode event, byte[] raw, String endpointType, Instant receivedAt, Instant replayedAt) {
    if (event == null || !event.isObject()) {
      return invalid("An event must be a JSON object.", List.of(new FieldError("", "must be a JSON object")));
    }
    JsonNode typeNode = event.get("event_type");
    String type = endpointType;
    if (endpointType == null) {
      if (typeNode == null || typeNode.isNull()) {
        return invalid("The event has no event_type.", List.of(new FieldError("/event_type", "is required")));
      }
      if (!typeNode.isTextual()) {
        return invalid("event_type must be a string.",
            List.of(new FieldError("/event_type", "must be text naming the event type, e.g. \"purchase\"")));
      }
      type = typeNode.textValue();
    } else if (typeNode != null && !typeNode.isNull() && !endpointType.equals(typeNode.textValue())) {
      return invalid("event_type does not match the endpoint.", List.of(new FieldError("/event_type",
          "must be \"" + endpointType + "\" on /v1/events/" + endpointType)));
    }
    SortedMap<Integer, EventSchema> versions = schemas.get(type);
    if (versions == null) {
      return new Validation.Invalid(Reason.UNKNOWN_EVENT_TYPE, "Event type \"" + shorten(type)
          + "\" is not known; known types: " + String.join(", ", eventTypes) + ".",
          List.of(new FieldError("/event_type", "is not a known event type")));
    }
    // a usable schema_version picks the schema; anything else is checked by the default version's schema
    JsonNode versionNode = event.get("schema_version");
    int version = versions.containsKey(1) ? 1 : versions.firstKey();
    if (versionNode != null && versionNode.isNumber() && versionNode.canConvertToExactIntegral()
        && versionNode.bigIntegerValue().signum() > 0) {
      if (!versionNode.canConvertToInt() || !versions.containsKey(versionNode.intValue())) {
        return new Validation.Invalid(Reason.UNKNOWN_SCHEMA_VERSION, "Event type \"" + type
            + "\" has no schema version " + shorten(versionNode.bigIntegerValue().toString()) + "; known versions: "
            + joinVersions(versions) + ".",
            List.of(new FieldError("/schema_version", "is not a known version of the " + type + " event")));
      }
      version = versionNode.intValue();
    }

    List<FieldError> errors = new ArrayList<>();
    // before the schema, so an id's position message wins over a pattern's (app_id, event_id)
    TextHygiene.check(event, errors);
    // the fast path answers "no errors" only where networknt would; else networknt runs and words the errors
    for (Error error : versions.get(version).validate(event)) {
      FieldError fieldError = ErrorMessages.toFieldError(error, type);
      if (!FieldError.anyAt(errors, fieldError.pointer())) {
        errors.add(fieldError); // several keywords failing on one field give one message, not three
      }
    }
    if (!errors.isEmpty()) {
      return invalidFields(type, version, errors);
    }
    return checkQualityAndWrite(event, raw, type, version, receivedAt, replayedAt);
  }

  /** {@link #PIPELINE_FIELDS} as an array: looping over it allocates no iterator per event. */
  private static final String[] PIPELINE_FIELD_NAMES = PIPELINE_FIELDS.toArray(String[]::new);

  /** Data-quality rules the schema cannot express, then the record. The schema has already passed. */
  private Validation checkQualityAndWrite(JsonNode event, byte[] raw, String type, int version, Instant receivedAt,
                                          Instant replayedAt) {
    List<FieldError> errors = new ArrayList<>();
    for (String field : PIPELINE_FIELD_NAMES) {
      JsonNode value = event.get(field);
      if (value == null || !value.isTextual()) {
        errors.add(new FieldError("/" + field, "is required (every event type needs it)"));
      }
    }
    if (!errors.isEmpty()) {
      return invalidFields(type, version, errors); // only reachable with a custom schema that forgot them
    }
    String clientOccurredAtText = event.get("occurred_at").textValue();
    Instant clientOccurredAt = Rfc3339.parse(clientOccurredAtText);
    JsonNode sentAtNode = event.get("sent_at");
    Instant sentAt = sentAtNode == null ? null : Rfc3339.parse(sentAtNode.textValue());
    if (clientOccurredAt == null) {
      errors.add(new FieldError("/occurred_at", ErrorMessages.timestamp(event.get("occurred_at"))));
    }
    if (sentAtNode != null && sentAt == null) {
      errors.add(new FieldError("/sent_at", ErrorMessages.timestamp(sentAtNode)));
    }
    if (!errors.isEmpty()) {
      return invalidFields(type, version, errors);
    }

    // Clock-skew correction (as Segment and Snowplow do): device clocks are often wrong, but the time between
    // occurred_at and sent_at is measured on one clock and so is right. Anchor it to the server's receipt:
    // occurred_at = received_at - (sent_at - client occurred_at). The future/age limits below are applied to
    // this corrected time, because it is the time the warehouse will store.
    boolean corrected = sentAt != null;
    Instant occurredAt = corrected
        ? receivedAt.minus(Duration.between(clientOccurredAt, sentAt))
        : clientOccurredAt;
    Duration ahead = Duration.between(receivedAt, occurredAt);
    if (ahead.getSeconds() > config.maxFutureSeconds()) {
      errors.add(new FieldError("/occurred_at", "is " + beyond(ahead, config.maxFutureSeconds()) + " in the future"
          + (corrected ? " after clock-skew correction (occurred_at is later than sent_at)" : "")
          + "; events may be at most " + inWords(Duration.ofSeconds(config.maxFutureSeconds()))
          + " ahead of the server clock"));
    }
    Duration age = Duration.between(occurredAt, receivedAt);
    if (age.getSeconds() > config.maxAgeSeconds()) {
      errors.add(new FieldError("/occurred_at", "is " + beyond(age, config.maxAgeSeconds()) + " old"
          + (corrected ? " (after clock-skew correction with sent_at)" : "")
          + "; events older than " + inWords(Duration.ofSeconds(config.maxAgeSeconds())) + " are rejected"));
    }
    if (!errors.isEmpty()) {
      return invalidFields(type, version, errors);
    }

    EventRecord.Written record;
    try {
      // context.ip is no column, so only the raw bytes need it removed
      record = EventRecord.write(event, ClientIp.stripped(event, raw), type, version, occurredAt,
          clientOccurredAtText, receivedAt, replayedAt, customColumns.get(type).get(version));
    } catch (IOException e) {
      // only properties and custom fields are written from the tree: Jackson refuses nesting beyond its limit
      return invalidFields(type, version, List.of(new FieldError(deepestWrittenField(event, type, version),
          "is nested too deeply")));
    }
    if (record.propertiesBytes() > config.maxPropertiesBytes()) {
      return invalidFields(type, version, List.of(new FieldError("/properties", "is " + record.propertiesBytes()
          + " bytes as JSON; the limit is " + config.maxPropertiesBytes() + " bytes")));
    }
    String appId = event.get("app_id").textValue();
    String eventId = event.get("event_id").textValue();
    return new Validation.Valid(new PipelineEvent(appId, eventId, record.bytes()), type);
  }

  /** The custom field or properties that made the record writer give up, for the message. */
  private String deepestWrittenField(JsonNode event, String type, int version) {
    String deepest = "properties";
    int depth = depth(event.get("properties"));
    for (String field : customColumns.get(type).get(version).fields()) {
      int fieldDepth = depth(event.get(field));
      if (fieldDepth > depth) {
        deepest = field;
        depth = fieldDepth;
      }
    }
    return "/" + deepest;
  }

  private static int depth(JsonNode node) {
    if (node == null || !node.isContainerNode()) {
      return 0;
    }
    int deepest = 0;
    for (JsonNode child : node) {
      deepest = Math.max(deepest, depth(child));
    }
    return deepest + 1;
  }

  private static Validation.Invalid invalidFields(String type, int version, List<FieldError> errors) {
    String count = errors.size() == 1 ? "1 field is" : errors.size() + " fields are";
    return new Validation.Invalid(Reason.INVALID_EVENT,
        "The " + type + " event (schema v" + version + ") is not valid: " + count + " wrong.", errors, version);
  }

  private static Validation.Invalid invalid(String detail, List<FieldError> errors) {
    return new Validation.Invalid(Reason.INVALID_EVENT, detail, errors);
  }

  /** How far past a limit, in words; "more than 24 hours" when rounding would make it read like the limit. */
  private static String beyond(Duration actual, long limitSeconds) {
    String limit = inWords(Duration.ofSeconds(limitSeconds));
    String words = inWords(actual);
    return words.equals(limit) ? "more than " + limit : words;
  }

  /** "90 seconds", "45 minutes", "30 hours", "45 days": rounded, in the largest unit that still reads precisely. */
  static String inWords(Duration duration) {
    long seconds = duration.getSeconds() + (duration.getNano() >= 500_000_000 ? 1 : 0);
    if (seconds < 120) {
      return seconds + (seconds == 1 ? " second" : " seconds");
    }
    if (seconds < 120 * 60) {
      return (seconds + 30) / 60 + " minutes";
    }
    if (seconds < 48 * 3600) {
      return (seconds + 1800) / 3600 + " hours";
    }
    return (seconds + 43200) / 86400 + " days";
  }

  private static String joinVersions(SortedMap<Integer, EventSchema> versions) {
    StringBuilder joined = new StringBuilder();
    for (Integer version : versions.keySet()) {
      joined.append(joined.length() == 0 ? "" : ", ").append(version);
    }
    return joined.toString();
  }

  private static String shorten(String text) {
    return text.length() <= MAX_ECHOED_TYPE_CHARS ? text : text.substring(0, MAX_ECHOED_TYPE_CHARS) + "...";
  }
}
