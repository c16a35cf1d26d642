package io.gameevents.sdk;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;

/**
 * POSTs one body with retries. The body is rebuilt for every attempt from a fresh {@code sent_at},
 * so the event ids stay the same while the send time is always current. Runs on the client's context.
 */
final class RetryingSender {

  /**
   * The last answer (or failure) and how many requests it took. {@code failure} is the connection error or
   * timeout when there was no answer, or why the retries stopped early (a Retry-After beyond the budget).
   */
  record Result(HttpResponse<Buffer> response, Throwable failure, int attempts, String requestId) {
    int status() {
      return response == null ? 0 : response.statusCode();
    }

    String body() {
      return response == null || response.body() == null ? "" : response.bodyAsString();
    }

    /** The answer's Retry-After in milliseconds, -1 without one (or without an answer). */
    long retryAfterMillis() {
      return response == null ? -1
          : RetryPolicy.parseRetryAfterMillis(response.getHeader("Retry-After"), Instant.now());
    }

    /** True when another attempt could have succeeded: the event is not known to be stored. */
    boolean retryable() {
      return response == null || RetryPolicy.isRetryableStatus(response.statusCode());
    }
  }

  private static final System.Logger LOG = System.getLogger(RetryingSender.class.getName());

  private final Vertx vertx;
  private final WebClient webClient;
  private final GameEventClientConfig config;
  private final RetryPolicy retryPolicy;
  private final String authorization;

  RetryingSender(Vertx vertx, WebClient webClient, GameEventClientConfig config) {
    this.vertx = vertx;
    this.webClient = webClient;
    this.config = config;
    this.retryPolicy = new RetryPolicy(config);
    this.authorization = "Bearer " + config.getApiKey();
  }

  /**
   * @param path         e.g. {@code /v1/batch}
   * @param bodyForSentAt builds the uncompressed JSON body for a given sent_at
   */
  Future<Result> send(Context context, String path, Function<String, String> bodyForSentAt) {
    Promise<Result> promise = Promise.promise();
    long now = System.currentTimeMillis();
    // saturate: a huge maxRetryDuration must not wrap the deadline into the past
    long deadline = retryPolicy.maxRetryMillis() > Long.MAX_VALUE - now ? Long.MAX_VALUE
        : now + retryPolicy.maxRetryMillis();
    // one id per send, kept over its retries: the server logs every attempt under the id a developer quotes
    String requestId = UUID.randomUUID().toString().replace("-", "");
    attempt(context, path, bodyForSentAt, requestId, 1, deadline, promise);
    return promise.future();
  }

  private void attempt(Context context, String path, Function<String, String> bodyForSentAt, String requestId,
                       int attempt, long deadline, Promise<Result> promise) {
    String sentAt = GameEvent.formatTimestamp(Instant.now());
    byte[] json = bodyForSentAt.apply(sentAt).getBytes(StandardCharsets.UTF_8);
    HttpRequest<Buffer> request = webClient.postAbs(config.getBaseUrl() + path)
        .timeout(config.getRequestTimeout().toMillis())
        .putHeader("Authorization", authorization)
        .putHeader("Content-Type", "application/json")
        .putHeader("Accept", "application/json, application/problem+json")
        .putHeader("X-Request-Id", requestId);
    Buffer body;
    if (config.isGzipEnabled() && json.length > config.getGzipThresholdBytes()) {
      request.putHeader("Content-Encoding", "gzip");
      body = Buffer.buffer(gzip(json));
    } else {
      body = Buffer.buffer(json);
    }
    request.sendBuffer(body).onComplete(done -> {
      Result result = done.succeeded()
          ? new Result(done.result(), null, attempt, requestId)
          : new Result(null, done.cause(), attempt, requestId);
      if (!result.retryable() || attempt >= retryPolicy.maxAttempts()) {
        promise.complete(result);
        return;
      }
      long retryAfter = result.retryAfterMillis();
      long delay = retryPolicy.delayMillis(attempt, retryAfter);
      // compared as a difference: now + delay overflows for a huge Retry-After (delay can be Long.MAX_VALUE)
      long remaining = deadline - System.currentTimeMillis();
      if (delay > remaining) {
        promise.complete(retryAfter > remaining
            ? new Result(result.response(), new RetryAfterBeyondBudgetException(retryAfter, remaining), attempt,
                requestId)
            : result);
        return;
      }
      LOG.log(System.Logger.Level.DEBUG, () -> "POST " + path + " (request id " + requestId + ") attempt " + attempt
          + " got "
          + (result.response() != null ? result.status() : String.valueOf(result.failure())) + ", retrying in "
          + delay + " ms");
      context.runOnContext(v -> vertx.setTimer(Math.max(1, delay),
          id -> attempt(context, path, bodyForSentAt, requestId, attempt + 1, deadline, promise)));
    });
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 4));
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(data);
    } catch (IOException impossible) {
      throw new UncheckedIOException(impossible);
    }
    return out.toByteArray();
  }
}
