package io.gameevents.http;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Request slots per client address, for all HTTP instances of a node (they run on different event
 * loops, hence the concurrent map). Without it a few hosts trickling bodies could hold every slot of
 * {@code http.max_requests_in_flight} and every other client would get 503. An address's entry is
 * removed when its last request ends, so the map holds only addresses with requests in progress. Addresses
 * are {@link ClientAddress#group()}: the client behind trusted proxies, and an IPv6 host's whole /64.
 */
public final class AddressSlots {

  private final int maxPerAddress;
  private final ConcurrentHashMap<String, Integer> taken = new ConcurrentHashMap<>();

  public AddressSlots(int maxPerAddress) {
    this.maxPerAddress = maxPerAddress;
  }

  int maxPerAddress() {
    return maxPerAddress;
  }

  /** Takes a slot for {@code address}, or returns false if it holds the maximum already. */
  boolean tryTake(String address) {
    boolean[] granted = {false};
    taken.compute(address, (key, held) -> {
      int count = held == null ? 0 : held;
      if (count >= maxPerAddress) {
        return held;
      }
      granted[0] = true;
      return count + 1;
    });
    return granted[0];
  }

  void release(String address) {
    taken.computeIfPresent(address, (key, held) -> held <= 1 ? null : held - 1);
  }

  /** Slots held by {@code address} now (for tests and diagnosis). */
  int held(String address) {
    return taken.getOrDefault(address, 0);
  }
}
