package io.gameevents.http.validation;

import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class Rfc3339Test {

  @Test
  void agreesWithJavaTimeOnValidTimestamps() {
    for (String text : List.of("2026-11-24T10:15:30Z", "2026-11-24T10:15:30.250+01:00", "2026-11-24T10:15:30.1-05:30",
        "2024-02-29T23:59:59.999999999+14:00", "1970-01-01T00:00:00Z", "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59.123456-12:00", "2026-03-29T02:30:00+02:00")) {
      assertThat(Rfc3339.parse(text)).as(text).isEqualTo(OffsetDateTime.parse(text).toInstant());
    }
  }

  @Test
  void acceptsLowerCaseSeparatorsAndTruncatesBeyondNanoseconds() {
    assertThat(Rfc3339.parse("2026-11-24t10:15:30z")).isEqualTo(OffsetDateTime.parse("2026-11-24T10:15:30Z").toInstant());
    assertThat(Rfc3339.parse("2026-11-24T10:15:30.1234567891Z"))
        .isEqualTo(OffsetDateTime.parse("2026-11-24T10:15:30.123456789Z").toInstant());
  }

  @Test
  void rejectsAnythingElse() {
    for (String text : List.of("", "2026-11-24", "2026-11-24T10:15:30", "2026-11-24T10:15Z", "2026-11-24 10:15:30Z",
        "2026-11-24T10:15:30.Z", "2026-11-24T10:15:30+0100", "2026-11-24T10:15:30+01", "2026-02-30T10:15:30Z",
        "2026-13-01T10:15:30Z", "2026-11-24T24:00:00Z", "2026-06-30T23:59:60Z", "2026-11-24T10:15:30+24:00",
        "2026-11-24T10:15:30Zjunk", "+12026-11-24T10:15:30Z", "2026-1a-24T10:15:30Z", "２０２６-11-24T10:15:30Z")) {
      assertThat(Rfc3339.parse(text)).as(text).isNull();
    }
    assertThat(Rfc3339.parse(null)).isNull();
  }
}
