package io.gameevents.http.validation;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** context.ip is cut out of the bytes as received; everything else stays byte for byte. */
class ClientIpTest {

  private static String stripped(String json) throws Exception {
    byte[] raw = json.getBytes(StandardCharsets.UTF_8);
    return new String(ClientIp.stripped(ValidatorFixtures.MAPPER.readTree(raw), raw), StandardCharsets.UTF_8);
  }

  @Test
  void theIpIsCutWhereverItIsInTheContext() throws Exception {
    assertThat(stripped("{\"a\":1.50,\"context\":{\"ip\":\"192.0.2.1\", \"os\":\"iOS\"}}"))
        .isEqualTo("{\"a\":1.50,\"context\":{\"os\":\"iOS\"}}");
    assertThat(stripped("{\"context\":{\"os\":\"iOS\" ,\n \"ip\" : \"192.0.2.1\" \n}, \"b\":\"\\u00e9\"}"))
        .isEqualTo("{\"context\":{\"os\":\"iOS\" }, \"b\":\"\\u00e9\"}");
    assertThat(stripped("{\"context\":{\"os\":\"iOS\",\"ip\":{\"v4\":[1,2]},\"locale\":\"en\"}}"))
        .isEqualTo("{\"context\":{\"os\":\"iOS\",\"locale\":\"en\"}}");
    assertThat(stripped("{\"context\":{ \"ip\":null }}")).isEqualTo("{\"context\":{ }}");
  }

  @Test
  void anEscapedNameIsStillTheIp() throws Exception {
    assertThat(stripped("{\"context\":{\"\\u0069p\":\"192.0.2.1\",\"os\":\"iOS\"}}"))
        .isEqualTo("{\"context\":{\"os\":\"iOS\"}}");
  }

  @Test
  void withoutAContextIpTheBytesAreReturnedAsTheyAre() throws Exception {
    byte[] raw = "{\"ip\":\"192.0.2.1\",\"properties\":{\"ip\":1},\"context\":{\"os\":\"iOS\"}}"
        .getBytes(StandardCharsets.UTF_8);

    assertThat(ClientIp.stripped(ValidatorFixtures.MAPPER.readTree(raw), raw)).isSameAs(raw);
  }
}
