package io.gameevents.http.refused;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.gameevents.delivery.file.RecordTree;
import io.gameevents.privacy.ErasableStore;
import io.gameevents.privacy.StoreReceipt;
import io.gameevents.privacy.Subject;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The refused tree ({@code delivery.file.refused_directory}) as an erasable store: every refused file, sealed or in
 * progress (each HTTP instance's writer seals its own first), is replaced by a copy without the subject's refused
 * records, as the lake is ({@link RecordTree}).
 *
 * <p>A refused record names its app at the top, but its player and device only inside {@code payload}, the event's
 * bytes as a JSON string: the record is the subject's when that event's {@code player_id} (or
 * {@code context.device_id}) is the subject's id. A payload kept as {@code payload_base64} (not UTF-8) or that is not
 * a JSON object can't be matched and is kept: the receipt's note counts those of the subject's app, so an operator
 * knows what to look at by hand. A payload cut short ({@code payload_truncated}) is judged by the ids read before
 * the cut.
 */
final class RefusedErasure implements ErasableStore {

  static final String NAME = "refused";

  private static final JsonFactory JSON = JsonFactory.builder().build();

  private final RecordTree tree;
  private final Clock clock;

  RefusedErasure(Path root, Clock clock) {
    this.tree = new RecordTree(root);
    this.clock = clock;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public StoreReceipt erase(Subject subject) throws IOException {
    RecordTree.Erased erased = tree.rewrite((line, from, to) -> match(subject, line, from, to) == Match.SUBJECTS);
    // what is left of the app that can't be told apart: counted after the rewrite, when only those are left
    long unreadable = tree.count((line, from, to) -> match(subject, line, from, to) == Match.UNREADABLE);
    String note = erased.sealed() + " file(s) in progress sealed first; each file was replaced whole by its"
        + " rewritten copy";
    if (unreadable > 0) {
      note += "; " + unreadable + " refused record(s) of this app kept: their event is not readable JSON"
          + " (payload_base64, or not an object), so whose it is can't be told";
    }
    return new StoreReceipt(NAME, erased.removed(), erased.rewritten(), clock.instant(), note);
  }

  /** Whose a refused record is, as far as the subject is concerned. */
  enum Match { SUBJECTS, OTHERS, UNREADABLE }

  /** Reads the record's {@code app_id} and {@code payload}, then the ids inside the payload. */
  static Match match(Subject subject, byte[] line, int from, int to) {
    String appId = null;
    String payload = null;
    boolean base64 = false;
    try (JsonParser parser = JSON.createParser(line, from, to - from)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return Match.OTHERS;
      }
      for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (value == JsonToken.VALUE_STRING) {
          switch (field) {
            case "app_id" -> appId = parser.getText();
            case "payload" -> payload = parser.getText();
            case "payload_base64" -> base64 = true;
            default -> { }
          }
        } else {
          parser.skipChildren();
        }
      }
    } catch (IOException torn) {
      // a torn line: what was read before it broke decides, as in the lake
    }
    if (!subject.appId().equals(appId)) {
      return Match.OTHERS;
    }
    if (payload == null) {
      return base64 ? Match.UNREADABLE : Match.OTHERS;
    }
    return matchEvent(subject, payload);
  }

  /** The event's top-level {@code player_id} and {@code context.device_id}. */
  private static Match matchEvent(Subject subject, String event) {
    String playerId = null;
    String deviceId = null;
    boolean whole = false;
    try (JsonParser parser = JSON.createParser(event)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return Match.UNREADABLE;
      }
      for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (field.equals("player_id") && value == JsonToken.VALUE_STRING) {
          playerId = parser.getText();
        } else if (field.equals("context") && value == JsonToken.START_OBJECT) {
          deviceId = deviceId(parser);
        } else {
          parser.skipChildren();
        }
      }
      whole = true;
    } catch (IOException cut) {
      // a payload cut short (or not JSON past some point): the ids read before decide
    }
    if (subject.matches(subject.appId(), playerId, deviceId)) {
      return Match.SUBJECTS;
    }
    // cut short before the subject's kind of id: it may have come after the cut
    boolean idRead = (subject.kind() == Subject.Kind.PLAYER ? playerId : deviceId) != null;
    return whole || idRead ? Match.OTHERS : Match.UNREADABLE;
  }

  /** Inside {@code context}: its {@code device_id}, leaving the parser at the object's end. */
  private static String deviceId(JsonParser parser) throws IOException {
    String deviceId = null;
    for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if (field.equals("device_id") && value == JsonToken.VALUE_STRING) {
        deviceId = parser.getText();
      } else {
        parser.skipChildren();
      }
    }
    return deviceId;
  }
}
