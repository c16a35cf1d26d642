package io.gameevents.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpMethod;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsNaming;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The request series of Vert.x's HTTP server meters ({@code vertx_http_server_requests_total},
 * {@code _response_time_seconds}, {@code _response_bytes} by code, method and route; {@code _active_requests},
 * {@code _request_bytes} and {@code _request_resets_total} by method), under the names, labels, descriptions and
 * meanings vertx-micrometer gives them, with each meter looked up in the registry once per method, or once per
 * route, method and status, and kept here. vertx-micrometer (5.0.7) looks up to five meters in the registry per
 * request (a gauge, two summaries, a counter and a timer: a {@code Meter.Id}, merged {@code Tags} and a builder
 * each) and has no option that caches them ({@code setMeterCacheEnabled} is read by nothing).
 *
 * <p>One per Vert.x instance, shared by all its HTTP servers (both listeners count into the same series, as
 * they did), so called from every event loop. The number of entries is bounded: the method is one of five labels
 * (Netty accepts any token as a method, and each would open series that are never removed: the methods the service
 * serves keep their name, any other is {@code other}), the route is the name vertx-web gives a route of ours (its
 * path, never the request's; "" when none matched), and a status is one our code or Vert.x sets.
 */
final class HttpServerMeters {

  private static final String[] METHODS = {"GET", "HEAD", "POST", "OPTIONS", "other"};
  private static final int OTHER = METHODS.length - 1;

  private final MeterRegistry registry;
  private final MetricsNaming names;
  private final AtomicReferenceArray<MethodMeters> byMethod = new AtomicReferenceArray<>(METHODS.length);
  private final ConcurrentMap<String, RouteMeters> byRoute = new ConcurrentHashMap<>();

  /** @param names the HTTP server domain's names (base name {@code vertx.http.server.}) */
  HttpServerMeters(MeterRegistry registry, MetricsNaming names) {
    this.registry = registry;
    this.names = names;
  }

  /** The meters of one method, registered by its first request. */
  MethodMeters method(HttpMethod method) {
    int index = methodIndex(method);
    MethodMeters meters = byMethod.get(index);
    return meters != null ? meters : registerMethod(index);
  }

  /** The meters of one route, method and status, registered by the first response that has them. */
  ResponseMeters response(String route, MethodMeters method, int status) {
    RouteMeters meters = byRoute.get(route);
    if (meters == null) {
      meters = byRoute.computeIfAbsent(route, RouteMeters::new);
    }
    return meters.get(method, status);
  }

  /** Resets are rare: their counter is looked up each time, as vertx-micrometer does. */
  void reset(MethodMeters method) {
    Counter.builder(names.getHttpRequestResetsCount()).description("Number of request resets")
        .tags(method.tags).register(registry).increment();
  }

  private static int methodIndex(HttpMethod method) {
    if (HttpMethod.POST.equals(method)) {
      return 2;
    } else if (HttpMethod.GET.equals(method)) {
      return 0;
    } else if (HttpMethod.HEAD.equals(method)) {
      return 1;
    } else if (HttpMethod.OPTIONS.equals(method)) {
      return 3;
    }
    return OTHER;
  }

  // synchronized: the active-requests gauge reads the one LongAdder registered with it, so it is made once
  private synchronized MethodMeters registerMethod(int index) {
    MethodMeters meters = byMethod.get(index);
    if (meters == null) {
      meters = new MethodMeters(index, Tags.of(Label.HTTP_METHOD.toString(), METHODS[index]));
      byMethod.set(index, meters);
    }
    return meters;
  }

  /** The series labelled by method only. */
  final class MethodMeters {
    final int index;
    final Tags tags;
    final LongAdder active = new LongAdder();
    final DistributionSummary requestBytes;

    private MethodMeters(int index, Tags tags) {
      this.index = index;
      this.tags = tags;
      Gauge.builder(names.getHttpActiveRequests(), active, LongAdder::doubleValue)
          .description("Number of requests being processed").tags(tags).strongReference(true).register(registry);
      requestBytes = DistributionSummary.builder(names.getHttpRequestBytes()).description("Size of requests in bytes")
          .tags(tags).register(registry);
    }
  }

  /** The series labelled by code, method and route, for one status. */
  final class ResponseMeters {
    final int method;
    final int status;
    final Counter requests;
    final Timer responseTime;
    final DistributionSummary responseBytes;

    private ResponseMeters(String route, MethodMeters method, int status) {
      this.method = method.index;
      this.status = status;
      Tags tags = method.tags.and(Label.HTTP_ROUTE.toString(), route,
          Label.HTTP_CODE.toString(), String.valueOf(status));
      requests = Counter.builder(names.getHttpRequestsCount()).description("Number of processed requests")
          .tags(tags).register(registry);
      // through the registry, so Metrics.factory's filter gives it the histogram's buckets
      responseTime = Timer.builder(names.getHttpResponseTime()).description("Request processing time")
          .tags(tags).register(registry);
      responseBytes = DistributionSummary.builder(names.getHttpResponseBytes())
          .description("Size of responses in bytes").tags(tags).register(registry);
    }

    void record(long startNanos, long bytesWritten) {
      requests.increment();
      responseTime.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
      responseBytes.record(bytesWritten);
    }
  }

  /**
   * One route's meters by method and status: a handful per route, so a scan of a small array read without a
   * lock beats a map keyed by a boxed pair; a new pair copies the array.
   */
  private final class RouteMeters {
    private final String route;
    private volatile ResponseMeters[] entries = new ResponseMeters[0];

    RouteMeters(String route) {
      this.route = route;
    }

    ResponseMeters get(MethodMeters method, int status) {
      for (ResponseMeters entry : entries) {
        if (entry.status == status && entry.method == method.index) {
          return entry;
        }
      }
      return add(method, status);
    }

    private synchronized ResponseMeters add(MethodMeters method, int status) {
      List<ResponseMeters> known = new ArrayList<>(List.of(entries));
      for (ResponseMeters entry : known) {
        if (entry.status == status && entry.method == method.index) {
          return entry;
        }
      }
      ResponseMeters added = new ResponseMeters(route, method, status);
      known.add(added);
      entries = known.toArray(ResponseMeters[]::new);
      return added;
    }
  }
}
