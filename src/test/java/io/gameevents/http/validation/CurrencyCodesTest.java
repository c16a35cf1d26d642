package io.gameevents.http.validation;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The currency enum in common.v1.json is exactly what the documented generator rule produces. */
class CurrencyCodesTest {

  @Test
  void schemaEnumMatchesTheGeneratorAndHoldsNoFundTestOrHistoricCodes() throws Exception {
    List<String> schemaCodes = new ArrayList<>();
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("schemas/common.v1.json")) {
      JsonNode common = ValidatorFixtures.MAPPER.readTree(in);
      common.at("/$defs/currency/enum").forEach(code -> schemaCodes.add(code.textValue()));
    }

    assertThat(schemaCodes)
        .as("regenerate with: java src/test/java/io/gameevents/http/validation/CurrencyCodes.java")
        .containsExactlyElementsOf(CurrencyCodes.active());
    assertThat(schemaCodes).contains("EUR", "USD", "JPY", "GBP", "XAF", "XOF")
        .doesNotContain("XTS", "XXX", "XAU", "XDR", "BOV", "CLF", "USN", "DEM", "ANG", "HRK");
  }
}
