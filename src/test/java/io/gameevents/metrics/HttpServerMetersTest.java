package io.gameevents.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;
import io.vertx.micrometer.MetricsNaming;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request meters are looked up once per method, and once per route, method and status, then reused; a
 * request's life (begin, routed, request end, response end or reset) moves the same series as vertx-micrometer's.
 */
class HttpServerMetersTest {

  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final HttpServerMeters meters =
      new HttpServerMeters(registry, MetricsNaming.v4Names().withBaseName("vertx.http.server."));
  private final HttpServerRequestMetrics server =
      new HttpServerRequestMetrics(meters, new HttpServerMetrics<Object, Object, Object>() { });

  @Test
  void metersAreKeptPerRouteMethodAndStatus() {
    HttpServerMeters.MethodMeters post = meters.method(HttpMethod.POST);
    HttpServerMeters.ResponseMeters accepted = meters.response("/v1/batch", post, 200);

    assertThat(meters.method(HttpMethod.POST)).isSameAs(post);
    assertThat(meters.response("/v1/batch", post, 200)).isSameAs(accepted);
    assertThat(meters.response("/v1/batch", post, 503)).isNotSameAs(accepted);
    assertThat(meters.response("/v1/events", post, 200)).isNotSameAs(accepted);
    assertThat(meters.response("/v1/batch", meters.method(HttpMethod.GET), 200)).isNotSameAs(accepted);
    // a made-up method is "other", whatever its name
    assertThat(meters.method(HttpMethod.valueOf("BREW"))).isSameAs(meters.method(HttpMethod.PATCH));
    assertThat(meters.method(HttpMethod.PATCH).tags).containsExactly(io.micrometer.core.instrument.Tag.of("method", "other"));
    assertThat(registry.find("vertx.http.server.requests").counters()).hasSize(4);
  }

  @Test
  void eventLoopsSharingARouteShareItsMeters() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        done.add(threads.submit(() -> {
          for (int i = 0; i < 1000; i++) {
            answer(HttpMethod.POST, "/v1/events/:type", 200 + i % 3);
          }
        }));
      }
      for (Future<?> thread : done) {
        thread.get(60, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
    // each thread answers 334 200s, 333 201s and 333 202s
    assertThat(registry.find("vertx.http.server.requests").counters()).hasSize(3);
    assertThat(registry.get("vertx.http.server.requests").tag("code", "200").counter().count()).isEqualTo(1336.0);
    assertThat(registry.get("vertx.http.server.requests").tag("code", "201").counter().count()).isEqualTo(1332.0);
    assertThat(registry.get("vertx.http.server.response.time").tag("code", "202").timer().count()).isEqualTo(1332);
    assertThat(registry.get("vertx.http.server.active.requests").tag("method", "POST").gauge().value()).isZero();
  }

  @Test
  void aRequestMovesItsSeriesAsVertxMicrometerDoes() {
    HttpServerRequestMetrics.Request request = server.requestBegin(null, request(HttpMethod.POST));
    assertThat(active("POST")).isEqualTo(1.0);
    server.requestRouted(request, "/v1/batch");
    server.requestEnd(request, request(HttpMethod.POST), 120);
    assertThat(active("POST")).isEqualTo(1.0);
    server.responseEnd(request, status(200), 45);

    assertThat(active("POST")).isZero();
    assertThat(registry.get("vertx.http.server.requests")
        .tags("code", "200", "method", "POST", "route", "/v1/batch").counter().count()).isEqualTo(1.0);
    assertThat(registry.get("vertx.http.server.response.time")
        .tags("code", "200", "method", "POST", "route", "/v1/batch").timer().count()).isEqualTo(1);
    assertThat(registry.get("vertx.http.server.response.bytes")
        .tags("code", "200", "method", "POST", "route", "/v1/batch").summary().totalAmount()).isEqualTo(45.0);
    assertThat(registry.get("vertx.http.server.request.bytes").tags("method", "POST").summary().totalAmount())
        .isEqualTo(120.0);
  }

  @Test
  void nestedRoutesAreJoinedAndNoRouteIsEmpty() {
    HttpServerRequestMetrics.Request nested = server.requestBegin(null, request(HttpMethod.GET));
    server.requestRouted(nested, "/docs/*");
    server.requestRouted(nested, null); // a route without a path has no name
    server.requestRouted(nested, "/docs/:page");
    server.responseEnd(nested, status(200), 10);
    HttpServerRequestMetrics.Request unrouted = server.requestBegin(null, request(HttpMethod.GET));
    server.responseEnd(unrouted, status(404), 10);

    assertThat(registry.get("vertx.http.server.requests").tags("route", "/docs/*>/docs/:page", "code", "200")
        .counter().count()).isEqualTo(1.0);
    assertThat(registry.get("vertx.http.server.requests").tags("route", "", "code", "404").counter().count())
        .isEqualTo(1.0);
  }

  @Test
  void aResetIsCountedAndEndsTheRequest() {
    HttpServerRequestMetrics.Request request = server.requestBegin(null, request(HttpMethod.POST));
    server.requestReset(request);
    server.requestEnd(request, request(HttpMethod.POST), 0);

    assertThat(active("POST")).isZero();
    assertThat(registry.get("vertx.http.server.request.resets").tag("method", "POST").counter().count())
        .isEqualTo(1.0);
    assertThat(registry.find("vertx.http.server.requests").counters()).isEmpty();
  }

  private void answer(HttpMethod method, String route, int status) {
    HttpServerRequestMetrics.Request request = server.requestBegin(null, request(method));
    server.requestRouted(request, route);
    server.requestEnd(request, request(method), 100);
    server.responseEnd(request, status(status), 50);
  }

  private double active(String method) {
    return registry.get("vertx.http.server.active.requests").tag("method", method).gauge().value();
  }

  private static HttpResponse status(int status) {
    return new HttpResponse() {
      @Override
      public int statusCode() {
        return status;
      }

      @Override
      public MultiMap headers() {
        return MultiMap.caseInsensitiveMultiMap();
      }
    };
  }

  private static HttpRequest request(HttpMethod method) {
    return new HttpRequest() {
      @Override
      public int id() {
        return 1;
      }

      @Override
      public String uri() {
        return "/";
      }

      @Override
      public String absoluteURI() {
        return "http://127.0.0.1/";
      }

      @Override
      public HttpMethod method() {
        return method;
      }

      @Override
      public MultiMap headers() {
        return MultiMap.caseInsensitiveMultiMap();
      }

      @Override
      public SocketAddress remoteAddress() {
        return null;
      }
    };
  }
}
