package io.gameevents.http.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Install and purchase events for the fast-path equivalence properties: valid ones with every optional field
 * now and then (context, sent_at, schema_version, properties), values at their bounds and in unusual but
 * valid forms (128 emoji as a player_id, 1.0 as a quantity, leap-year dates, lower-case t and z), then 0-3
 * random mutations aimed at each keyword's edges.
 */
final class GeneratedEvents {

  /**
   * @param tree            the event as parsed (a tree: 1e400 stays a double, which its JSON text would not)
   * @param json            the event as text, for raw_payload and for a failure's message
   * @param onTypedEndpoint whether validate() is called as from /v1/events/{type} rather than /v1/events
   */
  record Event(String type, JsonNode tree, String json, boolean onTypedEndpoint) {
    @Override
    public String toString() {
      return type + (onTypedEndpoint ? " on its endpoint: " : ": ") + json;
    }
  }

  /** Escapes all non-ASCII, so a lone surrogate survives the trip to text and back. */
  private static final ObjectMapper WRITER = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
  private static final String ID_CHARS = "ABCXYZabcxyz0189._:-";
  private static final List<String> PLATFORMS = enumOf("platform");
  private static final List<String> CURRENCIES = enumOf("currency");
  private static final List<String> PATHS = List.of("event_id", "event_type", "occurred_at", "sent_at", "player_id",
      "app_id", "platform", "schema_version", "properties", "product_id", "quantity", "amount_micros", "currency",
      "context", "context/app_version", "context/build", "context/os", "context/os_version", "context/device_model",
      "context/device_id", "context/locale", "context/country", "context/session_id", "context/ip", "context/sdk",
      "context/sdk/name", "context/sdk/version");
  /** JSON texts: numbers in every form, huge and tiny ones, and every other type. */
  private static final List<String> ODD_VALUES = List.of("0", "-0", "-0.0", "0.0", "1", "1.0", "1e0", "1E0", "1e2",
      "2", "0.5", "1.5", "-1", "4.99", "999999999", "1000000000", "1000000000.0", "1e9", "1000000001", "1e15",
      "1000000000000000", "1000000000000001", "1e16", "9007199254740993", "9223372036854775807",
      "9223372036854775808", "-9223372036854775809", "123456789012345678901234567890", "1e400", "-1e400", "1e-400",
      "1.0000000000000001", "true", "false", "null", "[]", "[1]", "[\"ios\"]", "{}", "{\"a\":1}", "\"\"", "\"1\"",
      "\"install\"", "\"purchase\"", "\"Install\"", "\"ios\"", "\"IOS\"", "\"EUR\"", "\"eur\"", "\"XXX\"", "\"US\"",
      "\"us\"", "\"USA\"", "\"US\\n\"", "\"en-US\"", "\"en_US\"", "\"i-klingon\"", "\"x-private\"",
      "\"en-US-x-twain\"", "\"zh-Hant-TW\"", "\"de-CH-1996\"", "\"en-a-bbb-x-a-ccc\"", "\"en-US\\n\"",
      "\"com.studio.game\"", "\"com/studio\"", "\"evt:1\"", "\"evt#1\"", "\"evt 1\"", "\"evt-1\\n\"");
  private static final List<String> TIMESTAMPS = List.of("2026-11-24T09:58:00Z", "2026-11-24t09:58:00z",
      "2026-11-24T10:58:00.123456789+01:00", "2026-11-24T09:58:00.1234567891Z", "2026-11-24T09:58:00.Z",
      "2026-11-24T09:58Z", "2026-11-24 09:58:00Z", "2026-11-24T09:58:00", "2026-11-24T09:58:00+0100",
      "2026-11-24T09:58:00+18:00", "2026-11-24T09:58:00-18:00", "2026-11-24T09:58:00+18:01",
      "2026-11-24T09:58:00+19:00", "2026-11-24T09:58:00+23:59", "2026-11-24T09:58:00-00:00",
      "2026-11-24T24:00:00Z", "2026-11-24T23:60:00Z", "2016-12-31T23:59:60Z", "2015-06-30T23:59:60Z",
      "2026-11-24T23:59:60Z", "2026-06-30T23:59:60Z", "2026-02-29T00:00:00Z", "2024-02-29T00:00:00Z",
      "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-04-31T00:00:00Z", "0000-01-01T00:00:00Z",
      "9999-12-31T23:59:59.999Z", "+2026-11-24T09:58:00Z", "2026-11-24T09:58:00Z\n", " 2026-11-24T09:58:00Z",
      "２026-11-24T09:58:00Z", "2026-11-24T09:58:00ZZ", "");
  private static final List<String> ODD_CHARS = List.of("\u0000", "\u001f", "\n", "\u007f", "\u0085", "\u202e",
      "\u200b", "\ufeff", "\"", "\\", "é", "e\u0301", "😀", "\ud83d", "\ude00", " ", "\u3000", "/", "#", "$", "Ａ");

  private GeneratedEvents() {
  }

  static Arbitrary<Event> events() {
    Arbitrary<ObjectNode> valid = Arbitraries.oneOf(install(), purchase());
    return Combinators.combine(valid, mutation().list().ofMinSize(0).ofMaxSize(3), Arbitraries.of(true, false))
        .as((event, mutations, typed) -> {
          String type = event.get("event_type").textValue();
          ObjectNode mutated = event.deepCopy();
          for (UnaryOperator<ObjectNode> mutation : mutations) {
            mutated = mutation.apply(mutated);
          }
          return new Event(type, mutated, text(mutated), typed);
        });
  }

  private static Arbitrary<ObjectNode> install() {
    return Combinators.combine(common("install"), optionals()).as((event, optional) -> {
      event.setAll(optional);
      return event;
    });
  }

  private static Arbitrary<ObjectNode> purchase() {
    Arbitrary<ObjectNode> purchase = Combinators.combine(common("purchase"), printable(1, 128),
        wholeNumber(1, 1_000_000_000L), wholeNumber(0, 1_000_000_000_000_000L), Arbitraries.of(CURRENCIES))
        .as((event, product, quantity, amount, currency) -> {
          event.put("product_id", product);
          event.set("quantity", quantity);
          event.set("amount_micros", amount);
          event.put("currency", currency);
          return event;
        });
    return Combinators.combine(purchase, optionals()).as((event, optional) -> {
      event.setAll(optional);
      return event;
    });
  }

  private static Arbitrary<ObjectNode> common(String type) {
    return Combinators.combine(Arbitraries.strings().withChars(ID_CHARS).ofMinLength(1).ofMaxLength(64),
        timestamp(), printable(1, 128), Arbitraries.strings().withChars("ABCabc019._-").ofMinLength(1)
            .ofMaxLength(128), Arbitraries.of(PLATFORMS))
        .as((eventId, occurredAt, playerId, appId, platform) -> {
          ObjectNode event = ValidatorFixtures.MAPPER.createObjectNode();
          event.put("event_id", eventId);
          event.put("event_type", type);
          event.put("occurred_at", occurredAt);
          event.put("player_id", playerId);
          event.put("app_id", appId);
          event.put("platform", platform);
          return event;
        });
  }

  /** sent_at, schema_version, context and properties, each present or not. */
  private static Arbitrary<ObjectNode> optionals() {
    Arbitrary<JsonNode> version = Arbitraries.of("1", "1.0", "1e0").map(GeneratedEvents::parse);
    return Combinators.combine(timestamp().injectNull(0.5), version.injectNull(0.5), context().injectNull(0.5),
        properties().injectNull(0.3)).as((sentAt, schemaVersion, context, properties) -> {
          ObjectNode optional = ValidatorFixtures.MAPPER.createObjectNode();
          if (sentAt != null) {
            optional.put("sent_at", sentAt);
          }
          if (schemaVersion != null) {
            optional.set("schema_version", schemaVersion);
          }
          if (context != null) {
            optional.set("context", context);
          }
          if (properties != null) {
            optional.set("properties", properties);
          }
          return optional;
        });
  }

  private static Arbitrary<ObjectNode> context() {
    Arbitrary<String> locale = Arbitraries.of("en", "en-US", "pt-BR", "zh-Hant-TW", "sr-Latn-RS", "de-CH-1996",
        "es-419", "en-US-x-twain", "ja-JP-u-ca-japanese", "EN-us", "yue-HK", "zh-cmn-Hans-CN");
    Arbitrary<String> country = Arbitraries.strings().withCharRange('A', 'Z').ofLength(2);
    return Combinators.combine(printable(1, 64).list().ofSize(5), printable(1, 128).list().ofSize(3), locale,
        country, Arbitraries.integers().between(0, (1 << 11) - 1)).as((short64, long128, loc, cc, present) -> {
          ObjectNode context = ValidatorFixtures.MAPPER.createObjectNode();
          String[] names = {"app_version", "build", "os", "os_version", "device_model", "device_id", "session_id",
              "locale", "country", "ip", "sdk"};
          Object[] values = {short64.get(0), short64.get(1), short64.get(2), short64.get(3), long128.get(0),
              long128.get(1), long128.get(2), loc, cc, "192.0.2.1", null};
          for (int i = 0; i < names.length; i++) {
            if ((present & (1 << i)) == 0) {
              continue;
            }
            if (names[i].equals("sdk")) {
              context.putObject("sdk").put("name", short64.get(4)).put("version", short64.get(0));
            } else {
              context.put(names[i], (String) values[i]);
            }
          }
          return context;
        });
  }

  private static Arbitrary<ObjectNode> properties() {
    return Arbitraries.strings().ofMaxLength(12).map(value -> {
      ObjectNode properties = ValidatorFixtures.MAPPER.createObjectNode();
      properties.put("level", value).putArray("items").add(1).add(value);
      return properties;
    });
  }

  /** RFC 3339 date-times, valid by construction, in all their forms: fractions, offsets, lower case. */
  private static Arbitrary<String> timestamp() {
    Arbitrary<String> date = Combinators.combine(Arbitraries.integers().between(1, 9999),
        Arbitraries.integers().between(1, 12), Arbitraries.integers().between(1, 28))
        .as((y, m, d) -> String.format(Locale.ROOT, "%04d-%02d-%02d", y, m, d));
    Arbitrary<String> time = Combinators.combine(Arbitraries.integers().between(0, 23),
        Arbitraries.integers().between(0, 59), Arbitraries.integers().between(0, 59),
        Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(9).injectNull(0.5))
        .as((h, m, s, fraction) -> String.format(Locale.ROOT, "%02d:%02d:%02d", h, m, s)
            + (fraction == null ? "" : "." + fraction));
    Arbitrary<String> offset = Arbitraries.oneOf(Arbitraries.of("Z", "z", "+00:00", "-00:00"),
        Combinators.combine(Arbitraries.of("+", "-"), Arbitraries.integers().between(0, 17),
            Arbitraries.integers().between(0, 59)).as((sign, h, m) -> String.format(Locale.ROOT, "%s%02d:%02d",
            sign, h, m)));
    Arbitrary<String> built = Combinators.combine(date, Arbitraries.of("T", "t"), time, offset)
        .as((d, t, clock, zone) -> d + t + clock + zone);
    return Arbitraries.oneOf(built, Arbitraries.of("2024-02-29T12:00:00Z", "2016-12-31T23:59:60Z",
        "2026-11-24T09:59:59.999999999Z", "2026-11-24T11:00:00+01:00"));
  }

  /** Text of min-max code points, any printable mix (emoji make it twice as many chars). */
  private static Arbitrary<String> printable(int min, int max) {
    Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.integers().between(0x21, 0x7e)),
        Tuple.of(1, Arbitraries.integers().between(0xa1, 0x2fff)),
        Tuple.of(1, Arbitraries.integers().between(0x1f600, 0x1f64f)));
    return codePoint.list().ofMinSize(min).ofMaxSize(max).map(codePoints -> {
      StringBuilder text = new StringBuilder();
      codePoints.forEach(text::appendCodePoint);
      return text.toString();
    });
  }

  /** A whole number in the range, written as an integer, with a fraction of zero or with an exponent. */
  private static Arbitrary<JsonNode> wholeNumber(long min, long max) {
    return Combinators.combine(Arbitraries.longs().between(min, max), Arbitraries.of("", ".0", "e0", ".000"))
        .as((value, form) -> parse(value + form));
  }

  private static Arbitrary<UnaryOperator<ObjectNode>> mutation() {
    Arbitrary<String> path = Arbitraries.of(PATHS);
    Arbitrary<JsonNode> odd = Arbitraries.oneOf(Arbitraries.of(ODD_VALUES).map(GeneratedEvents::parse),
        Arbitraries.of(TIMESTAMPS).map(TextNode::valueOf), boundaryText().map(TextNode::valueOf));
    return Arbitraries.oneOf(
        path.map(p -> event -> {
          ObjectNode parent = parentOf(event, p);
          if (parent != null) {
            parent.remove(leaf(p));
          }
          return event;
        }),
        Combinators.combine(path, odd).as((p, value) -> event -> {
          ObjectNode parent = parentOf(event, p);
          if (parent != null) {
            parent.set(leaf(p), value);
          }
          return event;
        }),
        Combinators.combine(path, Arbitraries.of(ODD_CHARS), Arbitraries.integers().between(0, 130))
            .as((p, c, at) -> event -> {
              ObjectNode parent = parentOf(event, p);
              if (parent != null && parent.get(leaf(p)) != null && parent.get(leaf(p)).isTextual()) {
                String text = parent.get(leaf(p)).textValue();
                int i = Math.min(at, text.length());
                parent.put(leaf(p), text.substring(0, i) + c + text.substring(i));
              }
              return event;
            }),
        Combinators.combine(Arbitraries.of("", "context/", "context/sdk/"), Arbitraries.of("extra", "ip", "Event_id",
            "name", "$ref", ""), odd).as((where, name, value) -> event -> {
              ObjectNode parent = parentOf(event, where + "x");
              if (parent != null) {
                parent.set(name, value);
              }
              return event;
            }));
  }

  /** One character repeated to a length around the bounds of the schema's strings. */
  private static Arbitrary<String> boundaryText() {
    return Combinators.combine(Arbitraries.of("a", "Z", "0", "-", "😀", "é", "\ud83d"),
        Arbitraries.of(0, 1, 2, 3, 34, 35, 36, 63, 64, 65, 127, 128, 129)).as((c, n) -> c.repeat(n));
  }

  private static ObjectNode parentOf(ObjectNode event, String path) {
    JsonNode parent = event;
    String[] parts = path.split("/");
    for (int i = 0; i < parts.length - 1; i++) {
      parent = parent.get(parts[i]);
      if (parent == null || !parent.isObject()) {
        return null;
      }
    }
    return (ObjectNode) parent;
  }

  private static String leaf(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static JsonNode parse(String json) {
    try {
      return ValidatorFixtures.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(json, e);
    }
  }

  private static String text(JsonNode event) {
    try {
      return WRITER.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> enumOf(String definition) {
    try (InputStream in = GeneratedEvents.class.getResourceAsStream("/schemas/common.v1.json")) {
      List<String> members = new ArrayList<>();
      ValidatorFixtures.MAPPER.readTree(in).get("$defs").get(definition).get("enum")
          .forEach(member -> members.add(member.textValue()));
      return List.copyOf(members);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
