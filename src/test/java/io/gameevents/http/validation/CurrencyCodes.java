package io.gameevents.http.validation;

import java.util.Currency;
import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Generates the {@code currency} enum of {@code schemas/common.v1.json}: the ISO 4217 codes that are
 * the current currency of at least one ISO 3166 country according to the JDK's currency data. This
 * drops what {@link Currency#getAvailableCurrencies()} also lists but a game cannot charge in:
 * historic codes (DEM, ANG, HRK...), funds (BOV, CLF, USN...), metals (XAU...), bond units (XBA...),
 * XDR, test (XTS) and "no currency" (XXX).
 *
 * <p>Regenerate after a JDK update changes the currency data:
 * {@code java src/test/java/io/gameevents/http/validation/CurrencyCodes.java} and paste the line.
 */
public final class CurrencyCodes {

  private CurrencyCodes() {
  }

  public static SortedSet<String> active() {
    SortedSet<String> codes = new TreeSet<>();
    for (String country : Locale.getISOCountries()) {
      Currency currency = Currency.getInstance(new Locale("", country));
      if (currency != null) {
        codes.add(currency.getCurrencyCode());
      }
    }
    return codes;
  }

  public static void main(String[] args) {
    System.out.println(active().stream().map(code -> '"' + code + '"').collect(Collectors.joining(", ", "[", "]")));
  }
}
