package io.gameevents.http.problem;

/**
 * Why a request or an event is refused: the one table of every answer that is not a success, with its
 * status code, its problem type ({@code urn:game-events:problem:<type>}) and its title. The OpenAPI
 * document's Problem schema lists the same types, and a test holds the two together.
 *
 * <p>It sits in a package of its own, below the HTTP stage and its validation, so the validator can
 * name a reason without importing the stage that answers it.
 */
public enum Reason {

  MALFORMED_REQUEST(400, "malformed-request", "Malformed request"),
  INVALID_EVENT(400, "invalid-event", "Invalid event", Fields.LISTED),
  INVALID_PRIVACY_REQUEST(400, "invalid-privacy-request", "Invalid privacy request", Fields.LISTED),
  UNAUTHORIZED(401, "unauthorized", "Missing or invalid credential"),
  FORBIDDEN_APP(403, "forbidden-app", "Credential not allowed for this app"),
  ORIGIN_NOT_ALLOWED(403, "origin-not-allowed", "Origin not allowed"),
  UNKNOWN_EVENT_TYPE(404, "unknown-event-type", "Unknown event type", Fields.LISTED),
  /** The same type as an unknown event type (a client handles both alike); the title tells a person which. */
  UNKNOWN_SCHEMA_VERSION(404, "unknown-event-type", "Unknown schema version", Fields.LISTED),
  NOT_FOUND(404, "not-found", "Not found"),
  NOT_AN_EDGE(404, "not-an-edge", "Not an ingestion node"),
  DEBUGGER_OFF(404, "debugger-off", "Debugger off"),
  METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
  /** A client-given request_id already names a privacy request with another body. */
  PRIVACY_REQUEST_CONFLICT(409, "privacy-request-conflict", "Request id already used"),
  BODY_TIMEOUT(408, "body-timeout", "Request body too slow"),
  PAYLOAD_TOO_LARGE(413, "payload-too-large", "Payload too large"),
  URI_TOO_LONG(414, "uri-too-long", "URI too long"),
  UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
  TOO_MANY_CONCURRENT_REQUESTS(429, "too-many-concurrent-requests", "Too many requests at once",
      "Nothing was stored; retrying the request once an earlier one is answered is safe."),
  TOO_MANY_FAILED_ATTEMPTS(429, "too-many-failed-attempts", "Too many failed attempts"),
  RATE_LIMITED(429, "rate-limited", "Rate limit exceeded", "Nothing was stored; retrying the whole request then is safe."),
  HEADERS_TOO_LARGE(431, "headers-too-large", "Request headers too large"),
  INTERNAL(500, "internal", "Internal error"),
  UNAVAILABLE(503, "unavailable", "Service temporarily unavailable", "The event was not stored; retrying it is safe."),
  NOT_READY(503, "not-ready", "Not ready"),
  SINK_UNAVAILABLE(503, "sink-unavailable", "The sink does not accept writes");

  /** Whether the problem's {@code errors} names each bad field (a client fixes the event by them). */
  public enum Fields { LISTED, NOT_LISTED }

  public static final String TYPE_PREFIX = "urn:game-events:problem:";

  private final int status;
  private final String type;
  private final String title;
  private final Fields fields;
  private final String promise;

  Reason(int status, String type, String title) {
    this(status, type, title, Fields.NOT_LISTED, null);
  }

  Reason(int status, String type, String title, Fields fields) {
    this(status, type, title, fields, null);
  }

  Reason(int status, String type, String title, String promise) {
    this(status, type, title, Fields.NOT_LISTED, promise);
  }

  Reason(int status, String type, String title, Fields fields, String promise) {
    this.status = status;
    this.type = type;
    this.title = title;
    this.fields = fields;
    this.promise = promise;
  }

  public int status() {
    return status;
  }

  /** The short type ({@code invalid-event}): the access log's {@code reason}. */
  public String type() {
    return type;
  }

  /** The full problem type URI, as the answer's {@code type} and the OpenAPI document write it. */
  public String typeUri() {
    return TYPE_PREFIX + type;
  }

  public String title() {
    return title;
  }

  public boolean listsFields() {
    return fields == Fields.LISTED;
  }

  /**
   * What the refusal promises the client, appended to every detail of this reason, or null: a refusal
   * that stored nothing says so, since whether a retry is safe is what a client must know.
   */
  public String promise() {
    return promise;
  }
}
