package io.gameevents.http.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.path.NodePath;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns a schema validator error (keyword + instance location + arguments) into a {@link FieldError}
 * a game developer understands. Fields defined in {@code common.v1.json} get a message written for that
 * field whatever keyword failed; anything else (custom schemas) gets a clean message per keyword.
 */
final class ErrorMessages {

  static final String QUANTITY = "must be a whole number of at least 1";
  static final String AMOUNT_MICROS = "must be a whole number >= 0 (the price in millionths: 4.99 EUR is 4990000)";
  private static final String UNKNOWN_TOP_LEVEL_HINT = "put game data into properties, or context for device data";

  private static final int MAX_ECHOED_CHARS = 40;
  private static final Pattern TWO_LETTERS = Pattern.compile("[A-Z]{2}");
  private static final String TEXT_64 = "must be text of 1 to 64 characters";
  private static final String TEXT_128 = "must be text of 1 to 128 characters";

  /** Messages for the {@code $defs} of common.v1.json, by definition name. */
  private static final Map<String, String> COMMON_FIELD_MESSAGES = Map.ofEntries(
      Map.entry("event_id", "must be 1 to 64 characters of letters, digits, '.', '_', ':' or '-'"),
      Map.entry("player_id", TEXT_128),
      Map.entry("app_id", "must be 1 to 128 characters of letters, digits, '.', '_' or '-' (e.g. com.studio.game)"),
      Map.entry("schema_version", "must be a whole number of at least 1"),
      Map.entry("properties", "must be a JSON object"),
      Map.entry("product_id", TEXT_128),
      Map.entry("quantity", QUANTITY),
      Map.entry("amount_micros", AMOUNT_MICROS),
      Map.entry("context", "must be a JSON object of device and app facts (app_version, os, locale...)"),
      Map.entry("app_version", TEXT_64),
      Map.entry("build", TEXT_64),
      Map.entry("os", TEXT_64),
      Map.entry("os_version", TEXT_64),
      Map.entry("device_model", TEXT_128),
      Map.entry("device_id", TEXT_128),
      Map.entry("session_id", TEXT_128),
      Map.entry("sdk", "must be a JSON object with the SDK's name and version"),
      Map.entry("sdk_name", TEXT_64),
      Map.entry("sdk_version", TEXT_64));

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
        return new FieldError(pointer + "/" + escape(error.getProperty()), unknownField(pointer, eventType));
      default:
        String commonDefinition = commonDefinition(error.getSchemaLocation());
        String message = commonDefinition == null ? null : commonFieldMessage(commonDefinition, keyword, error);
        return new FieldError(pointer, message != null ? message : genericMessage(keyword, error));
    }
  }

  /** Where the data of an unknown field belongs: at the top level, in properties or context. */
  private static String unknownField(String parentPointer, String eventType) {
    switch (parentPointer) {
      case "":
        return "is not a known field of " + article(eventType) + " event; " + UNKNOWN_TOP_LEVEL_HINT;
      case "/context":
        return "is not a known context field; put game data into properties";
      case "/context/sdk":
        return "is not a known field of context.sdk, which takes only name and version";
      default:
        return "is not a known field";
    }
  }

  private static String commonFieldMessage(String definition, String keyword, Error error) {
    JsonNode value = error.getInstanceNode();
    switch (definition) {
      case "currency":
        if (value == null || !value.isTextual()) {
          return "must be an ISO 4217 currency code such as \"EUR\" or \"USD\"";
        }
        String upperCase = otherCaseInEnum(value.textValue(), error.getSchemaNode());
        return upperCase != null ? "currency codes are upper case: " + upperCase
            : echo(value) + " is not an ISO 4217 currency code (e.g. \"EUR\", \"USD\")";
      case "platform":
        String lowerCase = value != null && value.isTextual()
            ? otherCaseInEnum(value.textValue(), error.getSchemaNode()) : null;
        return lowerCase != null ? "platforms are lower case: " + lowerCase
            : echo(value) + " is not a known platform; use one of: " + enumList(error.getSchemaNode());
      case "timestamp":
        return timestamp(value);
      case "locale":
        return "maxLength".equals(keyword) ? "must be a BCP 47 language tag of at most " + argument(error, 0)
            + " characters" : notALocale(value);
      case "country":
        return notACountry(value);
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

  /** The message for a timestamp that is not RFC 3339 with offset, quoting what it got. */
  static String timestamp(JsonNode value) {
    String example = "an RFC 3339 timestamp with offset, e.g. 2026-11-24T10:15:30Z";
    return value == null || !value.isTextual() ? "must be " + example : echo(value) + " is not " + example;
  }

  private static String notALocale(JsonNode value) {
    String example = "a BCP 47 language tag such as \"en-US\" or \"pt-BR\"";
    if (value == null || !value.isTextual()) {
      return "must be " + example;
    }
    String underscore = value.textValue().indexOf('_') >= 0 ? " (parts are joined by '-', not '_')" : "";
    return echo(value) + " is not " + example + underscore;
  }

  private static String notACountry(JsonNode value) {
    String example = "an ISO 3166-1 alpha-2 country code such as \"US\" or \"DE\"";
    if (value == null || !value.isTextual()) {
      return "must be " + example;
    }
    String upperCase = value.textValue().toUpperCase(Locale.ROOT);
    boolean twoLetters = value.textValue().length() == 2 && TWO_LETTERS.matcher(upperCase).matches(); // not "ß"
    return twoLetters ? "country codes are upper case: " + upperCase
        : echo(value) + " is not " + example;
  }

  /** The enum value that equals {@code text} but for case ("eur" gives EUR), or null. */
  private static String otherCaseInEnum(String text, JsonNode values) {
    if (values == null || !values.isArray()) {
      return null;
    }
    for (JsonNode allowed : values) {
      if (allowed.isTextual() && !allowed.textValue().equals(text) && allowed.textValue().equalsIgnoreCase(text)) {
        return allowed.textValue();
      }
    }
    return null;
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
        return "date-time".equals(argument(error, 0)) ? timestamp(error.getInstanceNode())
            : "is not a valid " + argument(error, 0);
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
