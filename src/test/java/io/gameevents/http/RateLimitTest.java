package io.gameevents.http;

import io.gameevents.support.ControlledSink;
import io.gameevents.support.Jwts;
import io.gameevents.support.ServiceTestBase;
import io.gameevents.delivery.Sinks;
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

import static io.gameevents.support.TestService.APP;
import static io.gameevents.support.TestService.KEY;
import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rate limits over real HTTP, on a clock the test moves (so every header is exact): 429 with Retry-After and
 * the RateLimit fields once over the burst, nothing of a refused request stored, a batch counted by its events.
 */
class RateLimitTest extends ServiceTestBase {

  static final String LIMITED = "limited-secret-key";
  static final String ALSO_LIMITED = "also-limited-secret-key";
  static final String SECRET = "a-test-hs256-secret-that-is-long-enough-0123456789";
  private static final long SECOND = 1_000_000_000L;

  private final AtomicLong clock = new AtomicLong(-42 * SECOND);
  private final ControlledSink.Tap tap = new ControlledSink.Tap();

  @Override
  protected JsonObject configure(JsonObject config) {
    JsonObject auth = config.getJsonObject("auth");
    JsonObject oneEventPerSecondBurstOf3 = new JsonObject().put("events_per_second", 1).put("burst", 3);
    auth.getJsonArray("api_keys")
        .add(key("limited", LIMITED).put("rate_limit", oneEventPerSecondBurstOf3))
        .add(key("also-limited", ALSO_LIMITED).put("rate_limit", oneEventPerSecondBurstOf3.copy()));
    auth.put("jwt", new JsonObject().put("secret", SECRET).put("audience", Jwts.AUDIENCE)
        .put("rate_limit", new JsonObject().put("events_per_second", 1).put("burst", 1)));
    return config;
  }

  @Override
  protected LongSupplier rateClock() {
    return clock::get;
  }

  @Override
  protected Sinks.Factory sinks() {
    return tap;
  }

  @Test
  void overItsBurstAKeyGets429WithRetryAfterAndTheRateLimitFieldsAndNothingOfThatRequestIsStored() throws Exception {
    String a = newId();
    String b = newId();
    String c = newId();
    HttpResponse<Buffer> first = single(LIMITED, a);
    assertThat(first.statusCode()).isEqualTo(200);
    assertRateLimit(first, 3, 2, 1);
    HttpResponse<Buffer> batch = batch(LIMITED, install(b), install(c));
    assertThat(batch.statusCode()).isEqualTo(200);
    assertRateLimit(batch, 3, 0, 3);

    HttpResponse<Buffer> refused = single(LIMITED, newId());

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
    assertRateLimit(refused, 3, 0, 3);
    JsonObject problem = refused.bodyAsJsonObject();
    assertThat(problem.getString("type")).isEqualTo("urn:game-events:problem:rate-limited");
    assertThat(problem.getInteger("status")).isEqualTo(429);
    assertThat(problem.getString("detail")).isEqualTo("credential \"limited\" is over its rate limit (1 event per "
        + "second, bursts of up to 3, on this node): retry after 1 s. Nothing was stored; retrying the whole "
        + "request then is safe.");
    assertThat(storedIds()).containsExactly(a, b, c);
  }

  @Test
  void aBatchCountsEveryEventValidOrNotAndIsRefusedWholeWhenNotAllFit() throws Exception {
    String a = newId();
    String b = newId();
    assertThat(single(LIMITED, a).statusCode()).isEqualTo(200);

    HttpResponse<Buffer> refused = batch(LIMITED, install(b), install(newId()), install(newId()));

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
    assertRateLimit(refused, 3, 2, 1);
    assertThat(refused.bodyAsJsonObject().getString("detail")).isEqualTo("the request has 3 events and credential "
        + "\"limited\" has 2 left (1 event per second, bursts of up to 3, on this node): retry after 1 s. Nothing "
        + "was stored; retrying the whole request then is safe.");
    assertThat(storedIds()).containsExactly(a);

    HttpResponse<Buffer> halfInvalid = batch(LIMITED, install(b), install(newId()).put("colour", "blue"));

    assertThat(halfInvalid.statusCode()).isEqualTo(200);
    assertThat(halfInvalid.bodyAsJsonObject().getInteger("accepted")).isEqualTo(1);
    assertThat(halfInvalid.bodyAsJsonObject().getInteger("rejected")).isEqualTo(1);
    assertRateLimit(halfInvalid, 3, 0, 3);
    assertThat(storedIds()).containsExactly(a, b);
  }

  @Test
  void aBatchLargerThanTheBurstIs413SoTheClientSplitsIt() throws Exception {
    HttpResponse<Buffer> tooLarge = batch(LIMITED, install(newId()), install(newId()), install(newId()),
        install(newId()));

    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertRateLimit(tooLarge, 3, 3, 0);
    assertThat(tooLarge.bodyAsJsonObject().getString("detail")).isEqualTo("the batch has 4 events, more than the 3 "
        + "that credential \"limited\" may send at once (1 event per second, bursts of up to 3, on this node): "
        + "split it into batches of at most 3");
    assertThat(storedIds()).isEmpty();
  }

  @Test
  void anotherCredentialIsUnaffectedAndOneWithoutALimitGetsNoRateLimitFields() throws Exception {
    assertThat(batch(LIMITED, install(newId()), install(newId()), install(newId())).statusCode()).isEqualTo(200);
    assertThat(single(LIMITED, newId()).statusCode()).isEqualTo(429);

    HttpResponse<Buffer> other = single(ALSO_LIMITED, newId());
    HttpResponse<Buffer> unlimited = single(KEY, newId());

    assertThat(other.statusCode()).isEqualTo(200);
    assertRateLimit(other, 3, 2, 1);
    assertThat(unlimited.statusCode()).isEqualTo(200);
    assertThat(unlimited.headers().names()).noneMatch(name -> name.toLowerCase().startsWith("ratelimit"));
    assertThat(storedIds()).hasSize(5);
  }

  @Test
  void theBucketRefillsAtItsRateUpToItsBurst() throws Exception {
    assertThat(batch(LIMITED, install(newId()), install(newId()), install(newId())).statusCode()).isEqualTo(200);
    assertThat(single(LIMITED, newId()).statusCode()).isEqualTo(429);

    clock.addAndGet(SECOND);
    HttpResponse<Buffer> refilledOne = single(LIMITED, newId());
    clock.addAndGet(3600 * SECOND);
    HttpResponse<Buffer> refilledFull = single(LIMITED, newId());

    assertThat(refilledOne.statusCode()).isEqualTo(200);
    assertRateLimit(refilledOne, 3, 0, 3);
    assertThat(refilledFull.statusCode()).isEqualTo(200);
    assertRateLimit(refilledFull, 3, 2, 1);
    assertThat(storedIds()).hasSize(5);
  }

  @Test
  void eachJwtSubjectHasItsOwnBucket() throws Exception {
    String alice = Jwts.hs256(SECRET, Jwts.claims(APP).put("sub", "alice"));
    String bob = Jwts.hs256(SECRET, Jwts.claims(APP).put("sub", "bob"));
    String aliceAgain = Jwts.hs256(SECRET, Jwts.claims(APP).put("sub", "alice").put("jti", "another token"));

    HttpResponse<Buffer> first = single(alice, newId());
    HttpResponse<Buffer> second = single(aliceAgain, newId());
    HttpResponse<Buffer> third = single(bob, newId());

    assertThat(first.statusCode()).isEqualTo(200);
    assertRateLimit(first, 1, 0, 1);
    assertThat(second.statusCode()).isEqualTo(429);
    assertThat(second.bodyAsJsonObject().getString("detail")).startsWith("credential \"jwt:alice\" is over");
    assertThat(third.statusCode()).isEqualTo(200);
    assertThat(storedIds()).containsExactly(first.bodyAsJsonObject().getString("event_id"),
        third.bodyAsJsonObject().getString("event_id"));
  }

  @Test
  void eventsThatWereNotStoredAreGivenBack() throws Exception {
    tap.sink().mode(ControlledSink.Mode.FAIL);
    HttpResponse<Buffer> failed = batch(LIMITED, install(newId()), install(newId()), install(newId()));

    assertThat(failed.statusCode()).isEqualTo(503);
    assertRateLimit(failed, 3, 3, 0); // the retry is not refused for the attempt that stored nothing

    tap.sink().mode(ControlledSink.Mode.PASS);
    assertThat(batch(LIMITED, install(newId()), install(newId()), install(newId())).statusCode()).isEqualTo(200);
    assertThat(storedIds()).hasSize(3);
  }

  private static void assertRateLimit(HttpResponse<Buffer> response, int limit, int remaining, int reset) {
    assertThat(response.getHeader("RateLimit-Limit")).isEqualTo(String.valueOf(limit));
    assertThat(response.getHeader("RateLimit-Remaining")).isEqualTo(String.valueOf(remaining));
    assertThat(response.getHeader("RateLimit-Reset")).isEqualTo(String.valueOf(reset));
    assertThat(response.getHeader("RateLimit")).isEqualTo("\"events\";r=" + remaining + ";t=" + reset);
  }

  private HttpResponse<Buffer> single(String credential, String eventId) throws Exception {
    return await(service.post("/v1/events/install", credential).sendBuffer(install(eventId).toBuffer()));
  }

  private HttpResponse<Buffer> batch(String credential, JsonObject... events) throws Exception {
    return await(service.post("/v1/batch", credential)
        .sendBuffer(new JsonObject().put("events", new JsonArray(List.of((Object[]) events))).toBuffer()));
  }

  private List<String> storedIds() {
    return service.sinkRecords().stream().map(record -> record.getString("event_id")).toList();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static JsonObject key(String id, String secret) {
    return new JsonObject().put("id", id).put("key", secret).put("app_ids", new JsonArray().add(APP));
  }
}
