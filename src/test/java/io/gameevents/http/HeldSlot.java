package io.gameevents.http;

import io.gameevents.support.RawHttp;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;

/**
 * A request admitted and holding its address's only slot (http.max_requests_per_address 1): its head is sent with
 * a body still to come. Whether it was admitted shows only by another request from its address getting 429, and
 * that probe may itself win the slot first; so each attempt uses an address of its own (a holder left over from
 * a lost attempt holds no slot that matters) until one holds.
 */
final class HeldSlot {

  interface Connection {
    RawHttp open(String address) throws Exception;
  }

  interface Probe {
    int status(String address) throws Exception;
  }

  /** The address of the holder that won, and its open connection (close it to free the slot). */
  record Held(String address, RawHttp holder, java.util.List<RawHttp> lost) implements AutoCloseable {
    @Override
    public void close() {
      holder.close();
      lost.forEach(RawHttp::close);
    }
  }

  private HeldSlot() {
  }

  /** @param prefix the first three octets of the addresses tried, e.g. {@code "203.0.113."} */
  static Held hold(String prefix, Connection holder, Probe probe) {
    AtomicInteger attempt = new AtomicInteger(50);
    AtomicReference<Held> held = new AtomicReference<>();
    java.util.List<RawHttp> lost = new java.util.concurrent.CopyOnWriteArrayList<>();
    await().atMost(Duration.ofSeconds(15)).until(() -> {
      String address = prefix + attempt.getAndIncrement();
      RawHttp connection = holder.open(address);
      if (probe.status(address) == 429) {
        held.set(new Held(address, connection, lost));
        return true;
      }
      lost.add(connection);
      return false;
    });
    return held.get();
  }
}
