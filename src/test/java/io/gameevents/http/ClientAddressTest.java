package io.gameevents.http;

import io.gameevents.config.AppConfig;
import io.gameevents.config.ConfigException;
import io.gameevents.config.HttpConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which address a request is from, behind trusted proxies or not: the walk over X-Forwarded-For and Forwarded. */
class ClientAddressTest {

  private static final String BALANCER = "10.0.0.5";

  @Test
  void aPeerThatIsNotTrustedIsTheClientWhateverItsHeadersSay() {
    assertThat(xff("10.0.0.0/8").resolve(peer("198.51.100.7"), xffHeader("203.0.113.1")).address())
        .isEqualTo("198.51.100.7");
    assertThat(xff().resolve(peer(BALANCER), xffHeader("203.0.113.1")).address()).isEqualTo(BALANCER);
  }

  @Test
  void behindATrustedProxyTheClientIsTheLastUntrustedHopAndWhatItWroteItselfIsIgnored() {
    ClientAddress.Resolver resolver = xff("10.0.0.0/8", "192.168.1.1");
    // the player forged 1.2.3.4; the edge proxy appended the player's real 203.0.113.9, then two of ours
    MultiMap chain = xffHeader("1.2.3.4, 203.0.113.9, 192.168.1.1", "10.9.8.7");

    assertThat(resolver.resolve(peer(BALANCER), chain).address()).isEqualTo("203.0.113.9");
    assertThat(resolver.resolve(peer(BALANCER), xffHeader("203.0.113.9:55012")).address()).isEqualTo("203.0.113.9");
    assertThat(resolver.resolve(peer(BALANCER), MultiMap.caseInsensitiveMultiMap()).address()).isEqualTo(BALANCER);
    // only our own proxies in the chain: the leftmost is as far back as anyone says
    assertThat(resolver.resolve(peer(BALANCER), xffHeader("10.1.1.1, 192.168.1.1")).address()).isEqualTo("10.1.1.1");
  }

  @Test
  void aMalformedHopFromATrustedPeerFallsBackToThePeerButOnlyWhereTheWalkReachesIt() {
    ClientAddress.Resolver resolver = xff("10.0.0.0/8");

    for (String malformed : new String[] {"not-an-address", "", "203.0.113.9, ", "unknown", "203.0.113.9:http",
        "[2001:db8::1", "example.com"}) {
      assertThat(resolver.resolve(peer(BALANCER), xffHeader(malformed)).address()).as(malformed).isEqualTo(BALANCER);
    }
    // left of the client's own hop: never read
    assertThat(resolver.resolve(peer(BALANCER), xffHeader("garbage, 203.0.113.9")).address()).isEqualTo("203.0.113.9");
  }

  @Test
  void ipv6PeersHopsAndRangesAreComparedAsAddressesAndGroupedByTheirSlash64() {
    ClientAddress.Resolver resolver = xff("2001:db8:ffff::/48", "127.0.0.1");

    ClientAddress client = resolver.resolve(peer("2001:db8:ffff::10"),
        xffHeader("[2001:DB8:0:1:0:0:0:abcd]:443, 2001:db8:ffff::20"));

    assertThat(client.address()).isEqualTo("2001:db8:0:1::abcd");
    assertThat(client.group()).isEqualTo("2001:db8:0:1::/64");
    assertThat(resolver.resolve(peer("::ffff:127.0.0.1"), xffHeader("203.0.113.9")).address())
        .as("an IPv4-mapped peer is its IPv4 address").isEqualTo("203.0.113.9");
    assertThat(resolver.resolve(peer("203.0.113.9"), MultiMap.caseInsensitiveMultiMap()).group())
        .isEqualTo("203.0.113.9");
  }

  @Test
  void withForwardedConfiguredTheRfc7239ForOfEachElementIsWalkedAndXForwardedForIgnored() {
    ClientAddress.Resolver resolver = new ClientAddress.Resolver(http(new JsonObject()
        .put("trusted_proxies", new JsonArray().add("10.0.0.0/8")).put("forwarded_header", "forwarded")));
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add("Forwarded", "for=1.2.3.4;proto=https, for=\"[2001:db8:cafe::17]:4711\";by=\"a;b,c\"")
        .add("Forwarded", "For=10.2.3.4")
        .add("X-Forwarded-For", "198.51.100.1");

    assertThat(resolver.resolve(peer(BALANCER), headers).address()).isEqualTo("2001:db8:cafe::17");
    assertThat(resolver.resolve(peer(BALANCER), MultiMap.caseInsensitiveMultiMap().add("Forwarded", "proto=https"))
        .address()).as("an element without for=").isEqualTo(BALANCER);
    assertThat(resolver.resolve(peer(BALANCER), MultiMap.caseInsensitiveMultiMap().add("Forwarded", "for=_hidden"))
        .address()).as("an obfuscated hop").isEqualTo(BALANCER);
  }

  @Test
  void anInvalidTrustedProxyFailsStartUpNamingTheKey() {
    for (String bad : new String[] {"10.0.0.0/33", "10.0.0.1/8", "proxy.internal", "2001:db8::/129", "10.0.0.0/"}) {
      assertThatThrownBy(() -> http(new JsonObject().put("trusted_proxies", new JsonArray().add(bad))))
          .as(bad).isInstanceOf(ConfigException.class).hasMessageContaining("http.trusted_proxies")
          .hasMessageContaining(bad);
    }
    assertThatThrownBy(() -> http(new JsonObject().put("proxy_protocol", true)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("http.proxy_protocol")
        .hasMessageContaining("http.management_port");
    assertThat(http(new JsonObject()).trustedProxies()).isEmpty();
    assertThat(http(new JsonObject()).proxyProtocol()).isFalse();
  }

  private static ClientAddress.Resolver xff(String... trusted) {
    return new ClientAddress.Resolver(http(new JsonObject().put("trusted_proxies", new JsonArray(java.util.List.of(
        (Object[]) trusted)))));
  }

  private static HttpConfig http(JsonObject http) {
    JsonObject config = new JsonObject().put("http", http).put("auth", new JsonObject().put("api_keys",
        new JsonArray().add(new JsonObject().put("id", "k").put("key", "a-key-long-enough").put("app_ids", new JsonArray().add("a")))));
    return AppConfig.from(config).http();
  }

  private static SocketAddress peer(String address) {
    return SocketAddress.inetSocketAddress(40000, address);
  }

  private static MultiMap xffHeader(String... lines) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (String line : lines) {
      headers.add("X-Forwarded-For", line);
    }
    return headers;
  }
}
