package io.gameevents.suppression;

import io.gameevents.pipeline.PipelineEvent;
import io.gameevents.privacy.Subject;
import io.gameevents.suppression.SubjectDigest.Digest;
import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One line of the list: a subject's digest, whether it is suppressed now, and the version that decided it (the
 * request's receipt time, then its id): of two entries for one digest the later version wins, on every node in any
 * order, so a node that was away converges with the rest. A lifted entry stays as the record that the later
 * request won. The app id is kept in clear (it names a game, not a person) so a node can skip the hash for apps
 * that have nobody on the list.
 */
public record SuppressionEntry(String appId, Subject.Kind kind, Digest digest, boolean suppressed, long version,
                               String requestId) {

  static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  public SuppressionEntry {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(digest, "digest");
    if (appId == null || !PipelineEvent.isWellFormedAppId(appId)) {
      throw new IllegalArgumentException("not an app id");
    }
    if (requestId == null || !REQUEST_ID.matcher(requestId).matches()) {
      throw new IllegalArgumentException("a request id is 1-64 letters, digits and ._:-");
    }
  }

  /** Whether this entry wins over {@code other} (null: nothing known yet). */
  public boolean newerThan(SuppressionEntry other) {
    return other == null || version > other.version
        || (version == other.version && requestId.compareTo(other.requestId) > 0);
  }

  public JsonObject toJson() {
    return new JsonObject().put("digest", digest.hex()).put("app_id", appId)
        .put("kind", kind.name().toLowerCase(Locale.ROOT)).put("suppressed", suppressed).put("version", version)
        .put("request_id", requestId);
  }

  /** The fields a proof covers, in order. */
  Object[] fields() {
    return new Object[] {digest.hex(), appId, kind.name(), suppressed, version, requestId};
  }

  /** Null when {@code json} is not an entry (a torn last line, another writer's value). */
  public static SuppressionEntry fromJson(JsonObject json) {
    try {
      Digest digest = Digest.parse(json.getString("digest"));
      String kind = json.getString("kind");
      Long version = json.getLong("version");
      Boolean suppressed = json.getBoolean("suppressed");
      if (digest == null || kind == null || version == null || suppressed == null) {
        return null;
      }
      return new SuppressionEntry(json.getString("app_id"), Subject.Kind.valueOf(kind.toUpperCase(Locale.ROOT)),
          digest, suppressed, version, json.getString("request_id"));
    } catch (ClassCastException | IllegalArgumentException notAnEntry) {
      return null;
    }
  }
}
