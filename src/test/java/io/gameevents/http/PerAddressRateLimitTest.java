package io.gameevents.http;

import io.gameevents.support.ServiceTestBase;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A key's rate limit with a per_address share, over real HTTP, on a clock that does not move (nothing refills):
 * one address draining its share leaves the others theirs, the key's own limit still caps them all, a request
 * takes tokens from both buckets or neither, and IPv6 addresses count by their /64. The clients are told apart
 * by X-Forwarded-For from the test's own connections (127.0.0.1, trusted here).
 */
class PerAddressRateLimitTest extends ServiceTestBase {

  private static final String LEAKY = "leaky-key-shipped-in-the-game";

  private final AtomicLong clock = new AtomicLong(7_000_000_000L);

  @Override
  protected JsonObject configure(JsonObject config) {
    config.getJsonObject("http").put("trusted_proxies", new JsonArray().add("127.0.0.1"));
    config.getJsonObject("auth").getJsonArray("api_keys").add(RateLimitTest.key("leaky", LEAKY)
        .put("rate_limit", new JsonObject().put("events_per_second", 10).put("burst", 10)
            .put("per_address", new JsonObject().put("events_per_second", 1).put("burst", 3))));
    return config;
  }

  @Override
  protected LongSupplier rateClock() {
    return clock::get;
  }

  @Test
  void oneAddressDrainingItsShareLeavesAnotherAddressItsOwnAndThe429NamesTheAddressLimit() throws Exception {
    assertThat(batch("203.0.113.1", 3).statusCode()).isEqualTo(200);

    HttpResponse<Buffer> drained = batch("203.0.113.1", 1);
    HttpResponse<Buffer> other = batch("203.0.113.2", 3);

    assertThat(drained.statusCode()).isEqualTo(429);
    assertThat(drained.getHeader("Retry-After")).isEqualTo("1");
    JsonObject problem = drained.bodyAsJsonObject();
    assertThat(problem.getString("type")).isEqualTo("urn:game-events:problem:rate-limited");
    assertThat(problem.getString("limit")).isEqualTo("client_address");
    // refused before its body: not even one event fits
    assertThat(problem.getString("detail")).isEqualTo("client address 203.0.113.1 is over its share of credential \"leaky\"'s rate limit (1 event per second, bursts of up to 3, on "
        + "this node, per client address): retry after 1 s. Other addresses sending with this credential are not "
        + "affected. Nothing was stored; retrying the whole request then is safe.");
    assertThat(drained.getHeader("RateLimit-Limit")).isEqualTo("3");
    assertThat(drained.getHeader("RateLimit-Remaining")).isEqualTo("0");
    assertThat(other.statusCode()).isEqualTo(200);
    assertThat(service.sinkRecords()).hasSize(6);
  }

  @Test
  void theKeysOwnLimitStillHoldsAcrossAddressesAndARefusalTakesFromNeitherBucket() throws Exception {
    assertThat(batch("203.0.113.1", 3).statusCode()).isEqualTo(200);
    for (int i = 0; i < 5; i++) { // refused by the address's share: the key's bucket keeps its 7
      assertThat(batch("203.0.113.1", 1).statusCode()).isEqualTo(429);
    }
    assertThat(batch("203.0.113.2", 3).statusCode()).isEqualTo(200);
    assertThat(batch("203.0.113.3", 3).statusCode()).isEqualTo(200);

    HttpResponse<Buffer> overTheKey = batch("203.0.113.4", 2);
    HttpResponse<Buffer> lastOne = batch("203.0.113.4", 1); // its share was not charged for the refused two

    assertThat(overTheKey.statusCode()).isEqualTo(429);
    assertThat(overTheKey.bodyAsJsonObject().getString("limit")).isEqualTo("credential");
    assertThat(overTheKey.bodyAsJsonObject().getString("detail")).startsWith("the request has 2 events and "
        + "credential \"leaky\" has 1 left (10 events per second, bursts of up to 10, on this node)");
    assertThat(lastOne.statusCode()).isEqualTo(200);
    assertThat(lastOne.getHeader("RateLimit-Limit")).isEqualTo("10");
    assertThat(lastOne.getHeader("RateLimit-Remaining")).isEqualTo("0");
    assertThat(batch("203.0.113.5", 1).bodyAsJsonObject().getString("limit")).isEqualTo("credential");
    assertThat(service.sinkRecords()).hasSize(10);
  }

  @Test
  void aBatchOverWhatTheAddressHasLeftIsRefusedWholeNamingWhatIsLeftAndTheKeyKeepsItsTokens() throws Exception {
    assertThat(batch("203.0.113.1", 2).statusCode()).isEqualTo(200);

    HttpResponse<Buffer> refused = batch("203.0.113.1", 2);

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.bodyAsJsonObject().getString("detail")).startsWith("the request has 2 events and client "
        + "address 203.0.113.1 has 1 left of its share of credential \"leaky\"'s rate limit");
    assertThat(batch("203.0.113.1", 1).statusCode()).isEqualTo(200);
    // the key's bucket got back the two it gave the refused batch: 7 left, enough for two more addresses' 3
    assertThat(batch("203.0.113.2", 3).statusCode()).isEqualTo(200);
    assertThat(batch("203.0.113.3", 3).statusCode()).isEqualTo(200);
    assertThat(service.sinkRecords()).hasSize(9);
  }

  @Test
  void ipv6AddressesInOneSlash64ShareABucketAndOtherSlash64sHaveTheirOwn() throws Exception {
    assertThat(batch("2001:db8:1:2::1", 3).statusCode()).isEqualTo(200);

    HttpResponse<Buffer> sameSlash64 = batch("2001:db8:1:2:ffff:ffff:ffff:ffff", 1);
    HttpResponse<Buffer> nextSlash64 = batch("2001:db8:1:3::1", 3);

    assertThat(sameSlash64.statusCode()).isEqualTo(429);
    assertThat(sameSlash64.bodyAsJsonObject().getString("detail"))
        .startsWith("IPv6 client network 2001:db8:1:2::/64 is over its share of credential \"leaky\"'s rate limit");
    assertThat(nextSlash64.statusCode()).isEqualTo(200);
  }

  private HttpResponse<Buffer> batch(String client, int events) throws Exception {
    JsonArray list = new JsonArray();
    for (int i = 0; i < events; i++) {
      list.add(install(newId()));
    }
    return await(service.post("/v1/batch", LEAKY).putHeader("X-Forwarded-For", client)
        .sendBuffer(new JsonObject().put("events", list).toBuffer()));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
