package io.gameevents.metrics;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;

import java.util.ArrayList;
import java.util.List;

/**
 * One HTTP server's metrics: its requests go to the node's {@link HttpServerMeters}, its connections (active
 * connections, bytes read and written, errors: per connection, not per request) to vertx-micrometer's own
 * server metrics as before.
 *
 * <p>vertx-micrometer's socket metric carries the {@code local} and {@code remote} labels, which are not
 * enabled ({@link Metrics#enable}): the request meters have none either.
 */
final class HttpServerRequestMetrics implements HttpServerMetrics<HttpServerRequestMetrics.Request, Object, Object> {

  private final HttpServerMeters meters;
  private final HttpServerMetrics<Object, Object, Object> connections;

  @SuppressWarnings("unchecked")
  HttpServerRequestMetrics(HttpServerMeters meters, HttpServerMetrics<?, ?, ?> connections) {
    this.meters = meters;
    this.connections = (HttpServerMetrics<Object, Object, Object>) connections;
  }

  @Override
  public Request requestBegin(Object socketMetric, HttpRequest request) {
    return begin(request.method());
  }

  @Override
  public Request responsePushed(Object socketMetric, HttpMethod method, String uri, HttpResponse response) {
    return begin(method);
  }

  private Request begin(HttpMethod method) {
    Request request = new Request(meters.method(method), System.nanoTime());
    request.method.active.increment();
    return request;
  }

  @Override
  public void requestRouted(Request request, String route) {
    request.addRoute(route);
  }

  @Override
  public void requestEnd(Request request, HttpRequest httpRequest, long bytesRead) {
    request.method.requestBytes.record(bytesRead);
    request.requestEnded = true;
    if (!request.reset && request.responseEnded) {
      request.method.active.decrement();
    }
  }

  @Override
  public void requestReset(Request request) {
    meters.reset(request.method);
    request.method.active.decrement();
    request.reset = true;
  }

  @Override
  public void responseEnd(Request request, HttpResponse response, long bytesWritten) {
    meters.response(request.route(), request.method, response.statusCode()).record(request.startNanos, bytesWritten);
    request.responseEnded = true;
    if (!request.reset && request.requestEnded) {
      request.method.active.decrement();
    }
  }

  @Override
  public Object connected(SocketAddress remoteAddress, String remoteName) {
    return connections.connected(remoteAddress, remoteName);
  }

  @Override
  public void disconnected(Object socketMetric, SocketAddress remoteAddress) {
    connections.disconnected(socketMetric, remoteAddress);
  }

  @Override
  public void bytesRead(Object socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
    connections.bytesRead(socketMetric, remoteAddress, numberOfBytes);
  }

  @Override
  public void bytesWritten(Object socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
    connections.bytesWritten(socketMetric, remoteAddress, numberOfBytes);
  }

  @Override
  public void exceptionOccurred(Object socketMetric, SocketAddress remoteAddress, Throwable t) {
    connections.exceptionOccurred(socketMetric, remoteAddress, t);
  }

  /** vertx-micrometer's WebSocket gauge reads the connection's labels only, never the request's metric. */
  @Override
  public Object connected(Object socketMetric, Request request, ServerWebSocket webSocket) {
    return connections.connected(socketMetric, null, webSocket);
  }

  @Override
  public void disconnected(Object webSocketMetric) {
    connections.disconnected(webSocketMetric);
  }

  @Override
  public void close() {
    connections.close();
  }

  /** A request in progress: the only allocation per request (besides a route list when routes nest). */
  static final class Request {
    final HttpServerMeters.MethodMeters method;
    final long startNanos;
    /** The routes' names as vertx-web reports them: one String, or a list when several matched. */
    private Object routes;
    private boolean requestEnded;
    private boolean responseEnded;
    private boolean reset;

    Request(HttpServerMeters.MethodMeters method, long startNanos) {
      this.method = method;
      this.startNanos = startNanos;
    }

    private void addRoute(String route) {
      if (route == null) {
        return;
      }
      if (routes == null) {
        routes = route;
      } else if (routes instanceof List<?> list) {
        @SuppressWarnings("unchecked") List<String> names = (List<String>) list;
        names.add(route);
      } else {
        List<String> names = new ArrayList<>(4);
        names.add((String) routes);
        names.add(route);
        routes = names;
      }
    }

    /** The route label as vertx-micrometer writes it: "" when no named route matched, nested ones joined by '>'. */
    String route() {
      if (routes == null) {
        return "";
      }
      if (routes instanceof String route) {
        return route;
      }
      @SuppressWarnings("unchecked") List<String> names = (List<String>) routes;
      return String.join(">", names);
    }
  }
}
