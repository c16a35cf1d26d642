package io.gameevents.http.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.path.NodePath;

import java.util.Map;

/**
 * Turns a schema validator error (keyword + instance location + arguments) into a {@link FieldError}
 * a game developer understands. Fields defined in {@code common.v1.json} get a message written for that
 * field whatever keyword failed; anything else (custom schemas) gets a clean message per keyword.
 */
final class ErrorMessages {

  static final String TIMESTAMP = "must be an RFC 3339 timestamp with offset, e.g. 2026-11-24T10:15:30Z";
  static final String QUANTITY = "must be a whole number of at least 1";
  static final String AMOUNT_MICROS = "must be a whole number >= 0 (the price in millionths: 4.99 EUR is 4990000)";

  private static final int MAX_ECHOED_CHARS = 40;

  /** Messages for the {@code $defs} of common.v1.json, by definition name. */
  private static final Map<String, String> COMMON_FIELD_MESSAGES = Map.of(
      "event_id", "must be 1 to 64 characters of letters, digits, '.', '_', ':' or '-'",
      "timestamp", TIMESTAMP,
      "player_id", "must be text of 1 to 128 characters",
      "app_id", "must be 1 to 128 characters of letters, digits, '.', '_' or '-' (e.g. com.studio.game)",
      "schema_version", "must be a whole number of at least 1",
      "properties", "must be a JSON object",
      "product_id", "must be text of 1 to 128 characters",
      "quantity", QUANTITY,
      "amount_micros", AMOUNT_MICROS);

  private ErrorMessages() {
  }

  static FieldError toFieldError(Error error, String eventType) {
    String pointer = pointer(error.getInstanceLocation());
    String keyword = error.getKeyword() == null ? "" : error.getKeyword();
    switch (keyword) {
      case "required":
        return new FieldError(pointer + "/" + escape(error.getProperty()), "is required");
      case "additionalProperties":
      case "unevaluatedProperties":
        return new FieldError(pointer + "/" + escape(error.getProperty()),
            pointer.isEmpty() ? "is not a known field of " + article(eventType) + " event" : "is not a known field");
      default:
        String commonDefinition = commonDefinition(error.getSchemaLocation());
        String message = commonDefinition == null ? null : commonFieldMessage(commonDefinition, keyword, error);
        return new FieldError(pointer, message != null ? message : genericMessage(keyword, error));
    }
  }

  private static String commonFieldMessage(String definition, String keyword, Error error) {
    switch (definition) {
      case "currency":
        JsonNode value = error.getInstanceNode();
        return value != null && value.isTextual()
            ? echo(value) + " is not an ISO 4217 currency code (e.g. \"EUR\", \"USD\")"
            : "must be an ISO 4217 currency code such as \"EUR\" or \"USD\"";
      case "platform":
        return echo(error.getInstanceNode()) + " is not a known platform; use one of: "
            + enumList(error.getSchemaNode());
      case "quantity":
        return "maximum".equals(keyword) ? "must be a whole number from 1 to " + argument(error, 0) : QUANTITY;
      case "amount_micros":
        return "maximum".equals(keyword)
            ? "is too large: at most " + argument(error, 0) + " (the price in millionths: 4.99 EUR is 4990000)"
            : AMOUNT_MICROS;
      default:
        return COMMON_FIELD_MESSAGES.get(definition);
    }
  }

  private static String genericMessage(String keyword, Error error) {
    switch (keyword) {
      case "type":
        return "must be " + typeInWords(argument(error, 1));
      case "minLength":
        return "must be at least " + argument(error, 0) + " characters long";
      case "maxLength":
        return "must be at most " + argument(error, 0) + " characters long";
      case "pattern":
        return "does not have the expected format";
      case "format":
        return "date-time".equals(argument(error, 0)) ? TIMESTAMP : "is not a valid " + argument(error, 0);
      case "enum":
        return echo(error.getInstanceNode()) + " is not one of: " + enumList(error.getSchemaNode());
      case "const":
        return "must be " + echo(error.getSchemaNode());
      case "minimum":
        return "must be at least " + argument(error, 0);
      case "maximum":
        return "must be at most " + argument(error, 0);
      case "exclusiveMinimum":
        return "must be greater than " + argument(error, 0);
      case "exclusiveMaximum":
        return "must be less than " + argument(error, 0);
      case "minItems":
        return "must have at least " + argument(error, 0) + " items";
      case "maxItems":
        return "must have at most " + argument(error, 0) + " items";
      default:
        return "does not match the event's schema";
    }
  }

  private static String typeInWords(String jsonType) {
    switch (jsonType) {
      case "integer":
        return "a whole number";
      case "number":
        return "a number";
      case "string":
        return "text (a JSON string)";
      case "boolean":
        return "true or false";
      case "object":
        return "a JSON object";
      case "array":
        return "a JSON array";
      default:
        return "of type " + jsonType;
    }
  }

  /** The {@code $defs} name when the failing keyword lives in common.v1.json, else null. */
  private static String commonDefinition(SchemaLocation location) {
    if (location == null || location.getAbsoluteIri() == null
        || !SchemaCatalog.COMMON_SCHEMA.equals(location.getAbsoluteIri().toString())) {
      return null;
    }
    NodePath fragment = location.getFragment();
    if (fragment == null || fragment.getNameCount() < 2 || !"$defs".equals(fragment.getName(0))) {
      return null;
    }
    return fragment.getName(1);
  }

  static String pointer(NodePath path) {
    if (path == null) {
      return "";
    }
    StringBuilder pointer = new StringBuilder();
    for (int i = 0; i < path.getNameCount(); i++) {
      pointer.append('/').append(escape(String.valueOf(path.getElement(i))));
    }
    return pointer.toString();
  }

  /** JSON Pointer escaping (RFC 6901). */
  static String escape(String token) {
    if (token == null) {
      return "";
    }
    return token.indexOf('~') < 0 && token.indexOf('/') < 0 ? token : token.replace("~", "~0").replace("/", "~1");
  }

  /** A value as JSON, shortened so an error never echoes a large payload back. */
  static String echo(JsonNode value) {
    if (value != null && value.isContainerNode()) {
      return value.isObject() ? "a JSON object" : "a JSON array";
    }
    String text = value == null ? "null" : value.toString();
    return text.length() <= MAX_ECHOED_CHARS ? text : text.substring(0, MAX_ECHOED_CHARS) + "...";
  }

  private static String enumList(JsonNode values) {
    if (values == null || !values.isArray()) {
      return "the documented values";
    }
    StringBuilder list = new StringBuilder();
    for (JsonNode value : values) {
      if (list.length() > 0) {
        list.append(", ");
      }
      list.append(value.isTextual() ? value.textValue() : value.toString());
    }
    return list.toString();
  }

  private static String argument(Error error, int index) {
    Object[] arguments = error.getArguments();
    return arguments != null && arguments.length > index ? String.valueOf(arguments[index]) : "?";
  }

  static String article(String eventType) {
    return (eventType != null && !eventType.isEmpty() && "aeiou".indexOf(eventType.charAt(0)) >= 0 ? "an " : "a ")
        + eventType;
  }
}
