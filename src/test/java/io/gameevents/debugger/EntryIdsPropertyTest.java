package io.gameevents.debugger;

import io.gameevents.http.OperatorTools;
import io.gameevents.pipeline.Outcome;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An entry reads the event's ids from its kept bytes when a stream first needs them; they are the values the
 * parsed event has (what the entry took from the tree on the ingest path before), for any event.
 */
class EntryIdsPropertyTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final List<String> NAMES = List.of("app_id", "event_id", "player_id", "platform", "event_type",
      "properties", "context");

  private static final OperatorTools.Asker ASKER = new OperatorTools.Asker("r", "k", null, System.nanoTime());

  @Property(tries = 1000)
  void idsReadFromTheBytesAreThoseOfTheParsedEvent(@ForAll("events") String json) throws Exception {
    byte[] raw = json.getBytes(StandardCharsets.UTF_8);
    JsonNode event = MAPPER.readTree(raw);

    Entry lazy = Entry.of(new OperatorTools.Rejected(ASKER, event, raw, null, null), System.currentTimeMillis(),
        System.nanoTime());

    assertThat(lazy.appId()).isEqualTo(text(event, "app_id"));
    assertThat(lazy.eventId()).isEqualTo(text(event, "event_id"));
    assertThat(lazy.playerId()).isEqualTo(text(event, "player_id"));
    assertThat(lazy.platform()).isEqualTo(text(event, "platform"));
    assertThat(lazy.eventType).isEqualTo(text(event, "event_type"));
  }

  @Property(tries = 200)
  void anEventWhoseBytesAreNotKeptHasItsIdsAllTheSame(@ForAll("events") String json) throws Exception {
    JsonNode event = MAPPER.readTree(json);
    byte[] tooLarge = new byte[Entry.MAX_KEPT_BYTES + 1];

    Entry entry = Entry.of(new OperatorTools.Handled(ASKER, event, "install", tooLarge, Outcome.ACCEPTED, null, null),
        System.currentTimeMillis(), System.nanoTime());

    assertThat(entry.appId()).isEqualTo(text(event, "app_id"));
    assertThat(entry.playerId()).isEqualTo(text(event, "player_id"));
  }

  private static String text(JsonNode event, String field) {
    JsonNode value = event.get(field);
    return value != null && value.isTextual() ? value.textValue() : null;
  }

  /** Objects whose members (ids among them) have any JSON value, nested objects with the same names included. */
  @Provide
  Arbitrary<String> events() {
    Arbitrary<String> text = Arbitraries.strings().all().ofMaxLength(10).map(s -> MAPPER.valueToTree(s).toString());
    Arbitrary<String> leaf = Arbitraries.oneOf(text, Arbitraries.of("1", "-2.5e3", "true", "null", "[]", "{}"));
    Arbitrary<String> nested = member(leaf).list().ofMaxSize(4).map(m -> "{" + String.join(",", m) + "}");
    Arbitrary<String> value = Arbitraries.oneOf(leaf, nested, leaf.list().ofMaxSize(3).map(l -> "[" + String.join(",", l) + "]"));
    return member(value).list().ofMaxSize(8).map(members -> "{ " + String.join(" ,\n", members) + " }");
  }

  private static Arbitrary<String> member(Arbitrary<String> value) {
    return Combinators.combine(Arbitraries.oneOf(Arbitraries.of(NAMES), Arbitraries.strings().alpha().ofMaxLength(5)),
        value).as((name, v) -> "\"" + name + "\": " + v);
  }
}
