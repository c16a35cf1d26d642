package io.gameevents.http.refused;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AppVersionLabelsTest {

  @Test
  void theFirstVersionsKeepTheirLabelAndLaterOnesAreOther() {
    AppVersionLabels labels = new AppVersionLabels(2);

    assertThat(labels.label("2.4.0")).isEqualTo("2.4.0");
    assertThat(labels.label("2.3.1")).isEqualTo("2.3.1");
    assertThat(labels.label("2.5.0")).isEqualTo("other");
    assertThat(labels.label("2.4.0")).as("a labelled version keeps its label").isEqualTo("2.4.0");
  }

  @Test
  void aMissingVersionIsNoneAndAMalformedOneTakesNoLabel() {
    AppVersionLabels labels = new AppVersionLabels(20);

    assertThat(labels.label(null)).isEqualTo("none");
    assertThat(labels.label("1.0 beta")).isEqualTo("other");
    assertThat(labels.label("x".repeat(33))).isEqualTo("other");
    assertThat(labels.label("none")).as("a client can't pass for the absent version").isEqualTo("other");
    assertThat(labels.label("1.0.0+build.7")).isEqualTo("1.0.0+build.7");
  }

  @Test
  void noLabelsAtAllWhenTheBoundIsZero() {
    assertThat(new AppVersionLabels(0).label("2.4.0")).isEqualTo("other");
  }
}
