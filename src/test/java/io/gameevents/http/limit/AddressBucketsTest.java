package io.gameevents.http.limit;

import io.gameevents.config.RateLimitConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The (credential, address) table stays at its bound whatever the addresses, and keeps what is still in use. */
class AddressBucketsTest {

  private static final long T0 = 1_000_000_000L;
  private static final RateLimitConfig SHARE = new RateLimitConfig(1, 3);

  @Test
  void aHundredThousandAddressesKeepTheTableAtItsMaximumAndAnAddressStillSendingKeepsItsDrainedBucket() {
    AddressBuckets table = new AddressBuckets(1000, () -> T0);
    TokenBucket steady = table.get("leaky", "198.51.100.1", SHARE);
    assertThat(steady.tryTake(3, T0)).isZero();

    for (int i = 0; i < 100_000; i++) {
      String rotating = "10." + (i >> 16) + "." + ((i >> 8) & 0xff) + "." + (i & 0xff);
      assertThat(table.get("leaky", rotating, SHARE).tryTake(1, T0)).isZero(); // each new address: a full bucket
      if (i % 100 == 0) {
        assertThat(table.get("leaky", "198.51.100.1", SHARE)).isSameAs(steady); // it keeps sending
      }
    }

    assertThat(table.size()).isEqualTo(1000);
    assertThat(table.get("leaky", "198.51.100.1", SHARE).remaining(T0)).isZero();
  }

  @Test
  void theSameAddressUnderAnotherCredentialOrAReloadedLimitIsAnotherBucket() {
    AddressBuckets table = new AddressBuckets(16, () -> T0);
    TokenBucket first = table.get("a", "203.0.113.1", SHARE);

    assertThat(table.get("a", "203.0.113.1", SHARE)).isSameAs(first);
    assertThat(table.get("b", "203.0.113.1", SHARE)).isNotSameAs(first);
    assertThat(table.get("a", "203.0.113.1", new RateLimitConfig(2, 3))).isNotSameAs(first);
  }

  @Test
  void aTableSmallerThanItsStripesStillHoldsExactlyItsMaximum() {
    AddressBuckets table = new AddressBuckets(20, () -> T0);
    for (int i = 0; i < 5000; i++) {
      table.get("k", "192.0.2." + i, SHARE);
    }
    assertThat(table.size()).isEqualTo(20);
  }
}
