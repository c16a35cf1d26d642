package io.gameevents.bench;

import io.gameevents.metrics.Metrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.MultiMap;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * What the HTTP server's metrics cost per request (begin, routed, request end, response end), as Vert.x calls
 * them on an event loop: vertx-micrometer's own ({@code micrometer}, with a tags provider as main had for the method)
 * against the service's ({@code service}, meters kept per route, method and status). Add {@code -prof gc} for
 * the bytes allocated per request.
 * Run with bench/jmh.sh HttpServerMetersBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s -t 1 -prof gc
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class HttpServerMetersBenchmark {

  private static final HttpRequest POST = new HttpRequest() {
    @Override
    public int id() {
      return 1;
    }

    @Override
    public String uri() {
      return "/v1/events/install";
    }

    @Override
    public String absoluteURI() {
      return "http://127.0.0.1:8000/v1/events/install";
    }

    @Override
    public HttpMethod method() {
      return HttpMethod.POST;
    }

    @Override
    public MultiMap headers() {
      return MultiMap.caseInsensitiveMultiMap();
    }

    @Override
    public SocketAddress remoteAddress() {
      return SocketAddress.inetSocketAddress(40000, "127.0.0.1");
    }
  };
  private static final HttpResponse OK = new HttpResponse() {
    @Override
    public int statusCode() {
      return 200;
    }

    @Override
    public MultiMap headers() {
      return MultiMap.caseInsensitiveMultiMap();
    }
  };

  @Param({"micrometer", "service"})
  public String meters;

  private HttpServerMetrics<Object, Object, Object> server;
  private Object connection;

  @Setup
  @SuppressWarnings("unchecked")
  public void setUp() {
    VertxOptions options = Metrics.enable(new VertxOptions());
    MicrometerMetricsOptions micrometer = (MicrometerMetricsOptions) options.getMetricsOptions();
    // a registry name of its own: vertx-micrometer keeps one backend per name for the whole JVM
    micrometer.setRegistryName("bench-" + meters + "-" + System.nanoTime());
    VertxMetricsFactory factory;
    if (meters.equals("micrometer")) {
      micrometer.setServerRequestTagsProvider(request -> Tags.of(Label.HTTP_METHOD.toString(),
          request.method().name()));
      factory = new MicrometerMetricsFactory(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    } else {
      factory = Metrics.factory();
    }
    server = (HttpServerMetrics<Object, Object, Object>) factory.metrics(options)
        .createHttpServerMetrics(new HttpServerOptions(), SocketAddress.inetSocketAddress(8000, "127.0.0.1"));
    connection = server.connected(SocketAddress.inetSocketAddress(40000, "127.0.0.1"), null);
  }

  @Benchmark
  public Object request() {
    Object request = server.requestBegin(connection, POST);
    server.requestRouted(request, "/v1/events/:type");
    server.requestEnd(request, POST, 180);
    server.responseEnd(request, OK, 71);
    return request;
  }
}
