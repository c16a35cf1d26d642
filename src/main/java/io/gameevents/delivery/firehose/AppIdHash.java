package io.gameevents.delivery.firehose;

import java.nio.charset.StandardCharsets;

/**
 * The app_id of a record, read from its bytes without parsing: this runs for every event.
 *
 * <p>Why the first {@code ,"app_id":} is the top-level field: records are written by
 * {@code EventRecord} (io.gameevents.http.validation), whose fields before app_id are all scalars
 * (event_id, event_type, schema_version, the timestamps, player_id); the objects that may hold an
 * app_id of their own (properties, raw_payload) come after it. Inside a string the JSON writer
 * escapes every '"' as {@code \"}, so no string value can hold a comma followed by a bare quote.
 */
final class AppIdHash {

  private static final byte[] KEY = ",\"app_id\":".getBytes(StandardCharsets.US_ASCII);
  /** FNV-1a (32 bit): cheap, and the same on every node and JVM, so an app keeps its stream. */
  private static final int FNV_OFFSET = 0x811c9dc5;
  private static final int FNV_PRIME = 0x01000193;

  private AppIdHash() {
  }

  /** Which of {@code streams} streams the record goes to; records without an app_id go to the first. */
  static int stream(byte[] record, int streams) {
    int start = valueStart(record);
    if (start < 0) {
      return 0;
    }
    int end = valueEnd(record, start);
    int hash = FNV_OFFSET;
    for (int i = start; i < end; i++) {
      hash = (hash ^ (record[i] & 0xff)) * FNV_PRIME;
    }
    return Math.floorMod(hash, streams);
  }

  /** The app_id as written (JSON escapes kept), or null when the record has none or it is null. */
  static String appId(byte[] record) {
    int start = valueStart(record);
    return start < 0 ? null : new String(record, start, valueEnd(record, start) - start, StandardCharsets.UTF_8);
  }

  /** Index of the first byte inside the app_id string, or -1. */
  private static int valueStart(byte[] record) {
    int last = record.length - KEY.length;
    for (int at = 0; at < last; at++) {
      if (record[at] == ',' && matchesKey(record, at)) {
        int value = at + KEY.length;
        return record[value] == '"' ? value + 1 : -1;
      }
    }
    return -1;
  }

  private static boolean matchesKey(byte[] record, int at) {
    for (int k = 1; k < KEY.length; k++) {
      if (record[at + k] != KEY[k]) {
        return false;
      }
    }
    return true;
  }

  /** Index of the closing quote (or the end of a truncated record). */
  private static int valueEnd(byte[] record, int start) {
    int i = start;
    while (i < record.length && record[i] != '"') {
      i += record[i] == '\\' ? 2 : 1;
    }
    return Math.min(i, record.length);
  }
}
