package io.gameevents.bench;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArrivalScheduleTest {

  @Test
  void requestsAreDueAtStartPlusIOverRate() {
    ArrivalSchedule schedule = new ArrivalSchedule(1_000, 4);
    assertThat(schedule.dueNanos(0)).isEqualTo(1_000);
    assertThat(schedule.dueNanos(1)).isEqualTo(250_001_000L);
    assertThat(schedule.dueNanos(4)).isEqualTo(1_000_001_000L);
  }

  @Test
  void aRateWithoutWholeNanosecondIntervalsDoesNotDrift() {
    // 1e9 / 13,072 = 76,499.39 ns: adding a rounded interval would be 0.6 ms early after 130,720 requests
    ArrivalSchedule schedule = new ArrivalSchedule(0, 13_072);
    assertThat(schedule.dueNanos(130_720)).isEqualTo(10_000_000_000L);
    assertThat(schedule.countBefore(10_000_000_000L)).isEqualTo(130_720);
  }

  @Test
  void aWindowHoldsRateTimesSecondsRequests() {
    ArrivalSchedule schedule = new ArrivalSchedule(5, 10_000);
    assertThat(schedule.countBefore(0)).isZero();
    assertThat(schedule.countBefore(1)).isEqualTo(1); // request 0 is due at the very start
    assertThat(schedule.countBefore(100_000)).isEqualTo(1);
    assertThat(schedule.countBefore(100_001)).isEqualTo(2);
    assertThat(schedule.countBefore(15_000_000_000L)).isEqualTo(150_000);
  }

  @Property
  void countBeforeCountsExactlyTheRequestsDueBeforeTheOffset(@ForAll @DoubleRange(min = 0.5, max = 500_000) double rate,
      @ForAll @LongRange(min = 1, max = 100_000_000_000L) long offset) {
    ArrivalSchedule schedule = new ArrivalSchedule(123, rate);
    long count = schedule.countBefore(offset);
    assertThat(schedule.dueNanos(count - 1) - 123).isLessThan(offset);
    assertThat(schedule.dueNanos(count) - 123).isGreaterThanOrEqualTo(offset);
  }

  @Test
  void refusesARateThatIsNotPositive() {
    assertThatThrownBy(() -> new ArrivalSchedule(0, 0)).hasMessageContaining("positive number of requests per second");
    assertThatThrownBy(() -> new ArrivalSchedule(0, Double.NaN)).hasMessageContaining("not NaN");
  }
}
