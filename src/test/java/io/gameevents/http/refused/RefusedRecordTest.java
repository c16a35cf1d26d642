package io.gameevents.http.refused;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class RefusedRecordTest {

  private static RefusedRecord record(byte[] payload) {
    return new RefusedRecord(Instant.parse("2026-12-07T14:03:11.482Z"), "req-1", "dev", null, null, null, null, null,
        null, null, "malformed-request", new JsonArray().add(new JsonObject().put("pointer", "").put("message", "x")),
        payload);
  }

  @Test
  void absentFieldsAreNullAndTheLineIsOneLine() {
    byte[] line = record("not json\nat all".getBytes(StandardCharsets.UTF_8)).encode(1024);
    JsonObject decoded = new JsonObject(new String(line, StandardCharsets.UTF_8));

    assertThat(new String(line, StandardCharsets.UTF_8)).doesNotContain("\n");
    assertThat(decoded).isEqualTo(new JsonObject().put("refused_at", "2026-12-07T14:03:11.482Z")
        .put("request_id", "req-1").put("key_id", "dev").putNull("app_id").putNull("event_type").putNull("event_id")
        .putNull("schema_version").putNull("app_version").putNull("sdk_name").putNull("sdk_version")
        .put("problem_type", "malformed-request")
        .put("reasons", new JsonArray().add(new JsonObject().put("pointer", "").put("message", "x")))
        .put("payload", "not json\nat all").put("payload_truncated", false));
  }

  @Test
  void refusedAtIsWrittenInMillisecondsAsTheEventsReceivedAtIs() {
    // the clock gives micro- or nanoseconds; a replayed event's received_at is this text, which holds milliseconds
    for (String[] at : new String[][] {{"2026-12-07T14:03:11.482691500Z", "2026-12-07T14:03:11.482Z"},
        {"2026-12-07T14:03:11Z", "2026-12-07T14:03:11.000Z"}}) {
      RefusedRecord refused = new RefusedRecord(Instant.parse(at[0]), "req-1", "dev", null, null, null, null, null,
          null, null, "malformed-request", new JsonArray(), new byte[] {'x'});
      JsonObject decoded = new JsonObject(new String(refused.encode(1024), StandardCharsets.UTF_8));

      assertThat(decoded.getString("refused_at")).isEqualTo(at[1]);
    }
  }

  @Test
  void aLongPayloadIsCutAtACharacterBoundaryAndSaysSo() {
    // 3 ASCII bytes then a 4-byte character: a cut at 5 would split it
    byte[] payload = "abc\ud83d\ude00def".getBytes(StandardCharsets.UTF_8);
    JsonObject decoded = new JsonObject(new String(record(payload).encode(5), StandardCharsets.UTF_8));

    assertThat(decoded.getString("payload")).isEqualTo("abc");
    assertThat(decoded.getBoolean("payload_truncated")).isTrue();
  }

  @Test
  void bytesThatAreNotUtf8AreKeptAsBase64() {
    byte[] payload = {'{', (byte) 0xFF, (byte) 0xC3, '}'};
    JsonObject decoded = new JsonObject(new String(record(payload).encode(1024), StandardCharsets.UTF_8));

    assertThat(decoded.containsKey("payload")).isFalse();
    assertThat(Base64.getDecoder().decode(decoded.getString("payload_base64"))).isEqualTo(payload);
    assertThat(decoded.getBoolean("payload_truncated")).isFalse();
  }

  @Test
  void aCutOfBytesThatAreNotUtf8KeepsExactlyTheLimit() {
    byte[] payload = new byte[100];
    Arrays.fill(payload, (byte) 0x80);
    JsonObject decoded = new JsonObject(new String(record(payload).encode(10), StandardCharsets.UTF_8));

    assertThat(Base64.getDecoder().decode(decoded.getString("payload_base64"))).hasSize(10);
    assertThat(decoded.getBoolean("payload_truncated")).isTrue();
  }
}
