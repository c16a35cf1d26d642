package io.gameevents.sdk;

import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where an event happened (app version, device, OS, locale, session), sent as the event's {@code context}
 * object: each field becomes a warehouse column. Immutable; built with {@link #builder()}. Set it once on the
 * client ({@link GameEventClientConfig.Builder#context}); an event's own context ({@link GameEvent#withContext})
 * overrides it field by field. The client adds {@code sdk} ({@code name} "game-events-java" and its version).
 * <p>
 * Every field is optional. The SDK never sends an IP address: the server takes none from the body.
 */
public final class EventContext {

  /** The wire names, in the order they are sent. */
  static final List<String> FIELDS = List.of("app_version", "build", "os", "os_version", "device_model",
      "device_id", "locale", "country", "session_id");
  /** The server's bounds (common.v1.json): ids and the device model 128, the other fields 64. */
  static final int MAX_ID_LENGTH = 128;
  static final int MAX_LENGTH = 64;
  /** BCP 47 langtag syntax with a 2- or 3-letter language, as the server's schema has it (en, en-US, zh-Hant-TW). */
  private static final Pattern LOCALE = Pattern.compile("[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}(?:-[A-Za-z]{4})?"
      + "(?:-(?:[A-Za-z]{2}|[0-9]{3}))?(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"
      + "(?:-[0-9A-WYZa-wyz](?:-[A-Za-z0-9]{2,8})+)*(?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?");
  /** ISO 3166-1 alpha-2. */
  private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
  private static final EventContext EMPTY = new EventContext(Map.of());

  private final Map<String, String> values;

  private EventContext(Map<String, String> values) {
    this.values = values;
  }

  public static Builder builder() {
    return new Builder(Map.of());
  }

  /** No field set. */
  public static EventContext empty() {
    return EMPTY;
  }

  public Builder toBuilder() {
    return new Builder(values);
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  public String appVersion() {
    return values.get("app_version");
  }

  public String build() {
    return values.get("build");
  }

  public String os() {
    return values.get("os");
  }

  public String osVersion() {
    return values.get("os_version");
  }

  public String deviceModel() {
    return values.get("device_model");
  }

  public String deviceId() {
    return values.get("device_id");
  }

  public String locale() {
    return values.get("locale");
  }

  public String country() {
    return values.get("country");
  }

  public String sessionId() {
    return values.get("session_id");
  }

  /** This context's fields, and those of {@code defaults} where this one has none. */
  EventContext over(EventContext defaults) {
    if (defaults.isEmpty()) {
      return this;
    }
    Map<String, String> merged = new LinkedHashMap<>(defaults.values);
    merged.putAll(values);
    return new EventContext(ordered(merged));
  }

  /** The wire object, with {@code sdk} added. */
  JsonObject toJson() {
    JsonObject json = new JsonObject();
    values.forEach(json::put);
    return json.put("sdk", new JsonObject().put("name", SdkInfo.NAME).put("version", SdkInfo.VERSION));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof EventContext context && values.equals(context.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return "EventContext" + values;
  }

  private static Map<String, String> ordered(Map<String, String> values) {
    Map<String, String> ordered = new LinkedHashMap<>();
    for (String field : FIELDS) {
      if (values.containsKey(field)) {
        ordered.put(field, values.get(field));
      }
    }
    return java.util.Collections.unmodifiableMap(ordered);
  }

  /** Each setter checks its value at once ({@link IllegalArgumentException} naming the field); null unsets. */
  public static final class Builder {

    private final Map<String, String> values;

    private Builder(Map<String, String> values) {
      this.values = new LinkedHashMap<>(values);
    }

    /** The game's version as players see it, e.g. "1.4.2". */
    public Builder appVersion(String appVersion) {
      return text("app_version", appVersion, MAX_LENGTH);
    }

    /** The build number, e.g. "1402" or a CI build id. */
    public Builder build(String build) {
      return text("build", build, MAX_LENGTH);
    }

    /** e.g. "iOS", "Android", "Windows". */
    public Builder os(String os) {
      return text("os", os, MAX_LENGTH);
    }

    public Builder osVersion(String osVersion) {
      return text("os_version", osVersion, MAX_LENGTH);
    }

    /** e.g. "iPhone15,2". */
    public Builder deviceModel(String deviceModel) {
      return text("device_model", deviceModel, MAX_ID_LENGTH);
    }

    /**
     * An anonymous id the game generates once per install and keeps (not a hardware id nor an advertising id),
     * so events from one device can be told apart from those of another device of the same player.
     */
    public Builder deviceId(String deviceId) {
      return id("device_id", deviceId);
    }

    /** A BCP 47 language tag, e.g. "en-US" (java.util.Locale#toLanguageTag gives one). */
    public Builder locale(String locale) {
      if (locale != null && (locale.length() > 35 || !LOCALE.matcher(locale).matches())) {
        throw new IllegalArgumentException("context.locale must be a BCP 47 language tag such as en-US, got '"
            + locale + "'");
      }
      return set("locale", locale);
    }

    /** An ISO 3166-1 alpha-2 country code, upper case, e.g. "DE". */
    public Builder country(String country) {
      if (country != null && !COUNTRY.matcher(country).matches()) {
        throw new IllegalArgumentException("context.country must be an upper-case ISO 3166-1 alpha-2 code such"
            + " as DE, got '" + country + "'");
      }
      return set("country", country);
    }

    /** The play session, e.g. a UUID made when the game starts or comes back to the foreground. */
    public Builder sessionId(String sessionId) {
      return id("session_id", sessionId);
    }

    public EventContext build() {
      return values.isEmpty() ? EMPTY : new EventContext(ordered(values));
    }

    /** Free text: 1 to {@code maxLength} characters, no lone surrogate. */
    private Builder text(String field, String value, int maxLength) {
      return set(field, value == null ? null : PrintableText.requireText("context." + field, value, maxLength));
    }

    /** An id: printable text only (see {@link PrintableText}). */
    private Builder id(String field, String value) {
      return set(field, value == null ? null : PrintableText.requireId("context." + field, value, MAX_ID_LENGTH));
    }

    /** @param value checked already; null unsets */
    private Builder set(String field, String value) {
      if (value == null) {
        values.remove(field);
      } else {
        values.put(field, value);
      }
      return this;
    }
  }
}
