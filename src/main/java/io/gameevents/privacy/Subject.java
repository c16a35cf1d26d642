package io.gameevents.privacy;

import java.util.Objects;

/**
 * Whose data a privacy request is about: one player (or one device) of one app. The raw id is personal data: it lives
 * in memory while a request runs and in the request's own persisted state until the request completes, never in a log,
 * a receipt or the suppression list (those hold a keyed hash of it).
 */
public record Subject(String appId, Kind kind, String id) {

  /** Which record column the id is matched against. */
  public enum Kind {
    PLAYER("player_id"),
    DEVICE("device_id");

    private final String column;

    Kind(String column) {
      this.column = column;
    }

    /** The record column ({@code player_id} or {@code device_id}) that holds this kind of id. */
    public String column() {
      return column;
    }
  }

  public Subject {
    Objects.requireNonNull(appId, "appId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(id, "id");
  }

  /** True when a record with these columns belongs to this subject (either id may be null in a record). */
  public boolean matches(String recordAppId, String recordPlayerId, String recordDeviceId) {
    return appId.equals(recordAppId) && id.equals(kind == Kind.PLAYER ? recordPlayerId : recordDeviceId);
  }

  /** Never the raw id: a subject may end up in an exception message or a log by accident. */
  @Override
  public String toString() {
    return "Subject[" + appId + ", " + kind + "]";
  }
}
