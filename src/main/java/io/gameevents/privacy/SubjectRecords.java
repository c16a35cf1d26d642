package io.gameevents.privacy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * Whether a stored warehouse record (one NDJSON line) belongs to a subject: its top-level {@code app_id} and
 * {@code player_id} (or {@code device_id}) are the subject's. Shared by every store that keeps records as lines
 * (the lake, the spool, the debugger), so they all agree on what "the subject's records" are.
 */
public final class SubjectRecords {

  private static final JsonFactory JSON = JsonFactory.builder().build();

  private SubjectRecords() {
  }

  /**
   * True when the record in {@code line[from, to)} is the subject's. A torn line is judged by the fields read before
   * it breaks off (a part of the subject's record is still theirs); a line that names nobody is kept by the store.
   */
  public static boolean belongsTo(Subject subject, byte[] line, int from, int to) {
    Owner owner = owner(line, from, to);
    return subject.matches(owner.appId(), owner.playerId(), owner.deviceId());
  }

  /** Whose record a line is: its top-level ids, each null when absent. */
  public record Owner(String appId, String playerId, String deviceId) {
    /** Never the ids: a record's owner may end up in a message by accident. */
    @Override
    public String toString() {
      return "Owner[" + appId + "]";
    }
  }

  /** The top-level ids of the record in {@code line[from, to)}; a torn line gives the ids read before it broke. */
  public static Owner owner(byte[] line, int from, int to) {
    String appId = null;
    String playerId = null;
    String deviceId = null;
    try (JsonParser parser = JSON.createParser(line, from, to - from)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return new Owner(null, null, null);
      }
      for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (value == JsonToken.VALUE_STRING) {
          switch (field) {
            case "app_id" -> appId = parser.getText();
            case "player_id" -> playerId = parser.getText();
            case "device_id" -> deviceId = parser.getText();
            default -> { }
          }
        } else {
          parser.skipChildren();
        }
      }
    } catch (IOException notJson) {
      // a torn line ends early: the fields read so far still decide, and a record without them names nobody
    }
    return new Owner(appId, playerId, deviceId);
  }

  public static boolean belongsTo(Subject subject, byte[] record) {
    return belongsTo(subject, record, 0, record.length);
  }
}
