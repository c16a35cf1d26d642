package io.gameevents.delivery;

import io.gameevents.config.TombstoneSalt;
import io.gameevents.pipeline.Wire;
import io.gameevents.pipeline.EventBatch;
import io.gameevents.pipeline.Outcome;
import io.gameevents.pipeline.Outcomes;
import io.gameevents.pipeline.Pipeline;
import io.gameevents.pipeline.PipelineEvent;
import io.gameevents.privacy.ErasableStore;
import io.gameevents.privacy.StoreReceipt;
import io.gameevents.privacy.Subject;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The warehouse as an erasable store: the service holds no warehouse credentials, so an erasure travels there as a
 * tombstone record written through this node's delivery stage like an event (not through dedup: a tombstone is no
 * client's event), to the same lake or Firehose stream. The warehouse applies it on its own schedule
 * (warehouse/snowflake/05_privacy.sql; the query tool's views at once).
 *
 * <p>The tombstone names the subject by a salted hash ({@code privacy.tombstone_salt}), never by the raw id, so it
 * is no new copy of the id. Its event id is derived from that hash: sending it again after a crash writes the same
 * tombstone, and applying a tombstone twice deletes nothing more.
 */
public final class WarehouseTombstones implements ErasableStore {

  public static final String NAME = "warehouse";
  public static final String EVENT_TYPE = "_tombstone";

  private final Vertx vertx;
  private final String nodeId;
  private final TombstoneSalt salt;
  private final Clock clock;
  private final long timeoutMs;

  /**
   * @param nodeId    this node: the tombstone goes to its own delivery stage, so register this store only on a node
   *                  with the delivery role
   * @param salt      {@code privacy.tombstone_salt}; null sends nothing and says so in the receipt
   * @param timeoutMs how long to wait for the sink's confirmation
   */
  public WarehouseTombstones(Vertx vertx, String nodeId, TombstoneSalt salt, Clock clock, long timeoutMs) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.salt = salt;
    this.clock = clock;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public StoreReceipt erase(Subject subject) throws IOException {
    if (salt == null) {
      return new StoreReceipt(NAME, 0, 0, clock.instant(), "no tombstone sent: privacy.tombstone_salt is not set,"
          + " so the warehouse is not told; delete the subject's rows there by hand");
    }
    String hash = subjectHash(salt.value(), subject.appId(), subject.id());
    byte[] record = record(subject, "tombstone-" + hash.substring(0, 32), hash, clock.instant());
    EventBatch batch = new EventBatch(List.of(new PipelineEvent(subject.appId(), "tombstone-" + hash.substring(0, 32),
        record)));
    Outcome outcome;
    try {
      Message<Outcomes> reply = vertx.eventBus().<Outcomes>request(Pipeline.deliveryAddress(nodeId), batch,
              Wire.sendOptions(timeoutMs))
          .toCompletionStage().toCompletableFuture().get(timeoutMs + 1000, TimeUnit.MILLISECONDS);
      outcome = reply.body().get(0);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("tombstone not stored: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while sending the tombstone", e);
    }
    if (outcome != Outcome.ACCEPTED) {
      throw new IOException("tombstone not stored: the delivery stage answered " + outcome);
    }
    return new StoreReceipt(NAME, 0, 0, clock.instant(), "tombstone sent (subject hash " + hash.substring(0, 12)
        + "...): the warehouse deletes the subject's rows on its next task run (warehouse/snowflake/05_privacy.sql)");
  }

  /**
   * The tombstone record: the shared contract of service, Snowflake SQL and query tool. Columns the warehouse's
   * raw table would take from an event (player_id, platform, raw_payload, ...) are absent.
   */
  public static byte[] record(Subject subject, String eventId, String subjectHash, Instant at) {
    String time = at.truncatedTo(ChronoUnit.MILLIS).toString();
    if (!time.contains(".")) {
      time = time.replace("Z", ".000Z"); // the service's own yyyy-MM-dd'T'HH:mm:ss.SSS'Z', whole seconds included
    }
    JsonObject tombstone = new JsonObject()
        .put("event_id", eventId)
        .put("event_type", EVENT_TYPE)
        .put("schema_version", 1)
        .put("occurred_at", time)
        .put("received_at", time)
        .put("app_id", subject.appId())
        .put("properties", new JsonObject()
            .put("subject", subject.kind() == Subject.Kind.PLAYER ? "player" : "device")
            .put("subject_hash", subjectHash));
    return tombstone.encode().getBytes(StandardCharsets.UTF_8);
  }

  /** Lower-case hex SHA-256 of {@code salt \n app_id \n id}: Snowflake's SHA2(salt || CHR(10) || ..., 256). */
  public static String subjectHash(String salt, String appId, String id) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      byte[] digest = sha256.digest((salt + "\n" + appId + "\n" + id).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
