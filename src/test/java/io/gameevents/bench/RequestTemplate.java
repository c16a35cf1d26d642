package io.gameevents.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One POST of install events (as bench/install-event.lua and bench/batch-event.lua send them), encoded
 * once as bytes; each request only overwrites the digits of its events' ids and player ids in place
 * ({@link #stamp}), so the generator spends no CPU on building strings or headers. The digits are fixed
 * width (zero-padded), so the Content-Length never changes. Event {@code k} of request {@code n} gets the
 * id {@code open-<run tag>-<n * events + k>}: unique within a run, and the run tag keeps runs apart.
 */
final class RequestTemplate {

  private static final int ID_DIGITS = 12;
  private static final int PLAYER_DIGITS = 3;
  private static final long PLAYERS = 1000;

  private final byte[] bytes;
  private final int eventsPerRequest;
  private final int[] idOffsets;
  private final int[] playerOffsets;

  private RequestTemplate(byte[] bytes, int eventsPerRequest, int[] idOffsets, int[] playerOffsets) {
    this.bytes = bytes;
    this.eventsPerRequest = eventsPerRequest;
    this.idOffsets = idOffsets;
    this.playerOffsets = playerOffsets;
  }

  /**
   * @param batch 0: one event as the body (POST /v1/events/:type); n > 0: {@code {"events":[...]}} with n events
   */
  static RequestTemplate installEvents(String hostAndPort, String path, String authorization, int batch,
      String runTag, String occurredAt) {
    String idSlot = "0".repeat(ID_DIGITS);
    String playerSlot = "0".repeat(PLAYER_DIGITS);
    String event = "{\"event_id\":\"open-" + runTag + "-" + idSlot + "\",\"event_type\":\"install\",\"occurred_at\":\""
        + occurredAt + "\",\"player_id\":\"player_" + playerSlot + "\",\"app_id\":\"com.game.test\",\"platform\":\"ios\"}";
    int events = Math.max(batch, 1);
    StringBuilder body = new StringBuilder(batch > 0 ? "{\"events\":[" : "");
    List<Integer> eventStarts = new ArrayList<>();
    for (int k = 0; k < events; k++) {
      body.append(k == 0 ? "" : ",");
      eventStarts.add(body.length());
      body.append(event);
    }
    body.append(batch > 0 ? "]}" : "");
    byte[] bodyBytes = body.toString().getBytes(StandardCharsets.UTF_8);
    String head = "POST " + path + " HTTP/1.1\r\nHost: " + hostAndPort + "\r\nContent-Type: application/json\r\n"
        + "Authorization: " + authorization + "\r\nContent-Length: " + bodyBytes.length + "\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
    byte[] request = new byte[headBytes.length + bodyBytes.length];
    System.arraycopy(headBytes, 0, request, 0, headBytes.length);
    System.arraycopy(bodyBytes, 0, request, headBytes.length, bodyBytes.length);
    int idInEvent = event.indexOf(idSlot);
    int playerInEvent = event.indexOf("player_" + playerSlot) + "player_".length();
    int[] idOffsets = new int[events];
    int[] playerOffsets = new int[events];
    for (int k = 0; k < events; k++) {
      idOffsets[k] = headBytes.length + eventStarts.get(k) + idInEvent;
      playerOffsets[k] = headBytes.length + eventStarts.get(k) + playerInEvent;
    }
    return new RequestTemplate(request, events, idOffsets, playerOffsets);
  }

  int length() {
    return bytes.length;
  }

  /** Fills {@code target} (at least {@link #length} bytes) with the template, once per connection. */
  void copyTo(ByteBuffer target) {
    target.clear();
    target.put(bytes);
    target.flip();
  }

  /** Makes {@code target} (filled by {@link #copyTo}) request number {@code sequence}, ready to write from position 0. */
  void stamp(ByteBuffer target, long sequence) {
    long first = sequence * eventsPerRequest;
    for (int k = 0; k < eventsPerRequest; k++) {
      long eventNumber = first + k;
      writeDigits(target, idOffsets[k], ID_DIGITS, eventNumber);
      writeDigits(target, playerOffsets[k], PLAYER_DIGITS, eventNumber % PLAYERS);
    }
    target.limit(bytes.length).position(0);
  }

  private static void writeDigits(ByteBuffer target, int offset, int width, long value) {
    long rest = value;
    for (int i = offset + width - 1; i >= offset; i--) {
      target.put(i, (byte) ('0' + rest % 10));
      rest /= 10;
    }
    if (rest != 0) {
      throw new IllegalStateException(value + " does not fit in " + width + " digits");
    }
  }
}
