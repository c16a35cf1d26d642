package io.gameevents.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/**
 * The framework's ceiling for bench/compare.sh: a Vert.x 5 router with one POST route that reads the
 * whole body and answers a fixed 200 JSON body, on {@code instances} event loops (2, as the service's
 * HTTP stage), with the same server options as {@code HttpVerticle} and the transport the service uses
 * (native epoll when it is on the class path). Nothing else: no auth, no validation, no event bus, no disk.
 *
 * <pre>java -cp target/game-events.jar:target/test-classes io.gameevents.bench.BareRoute [port] [instances]</pre>
 */
public final class BareRoute extends VerticleBase {

  private static final Buffer ANSWER = Buffer.buffer("{\"status\":\"accepted\"}");

  private final int port;

  private BareRoute(int port) {
    this.port = port;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.post().handler(ctx -> ctx.request().body().onSuccess(body -> ctx.response()
        .putHeader("Content-Type", "application/json").end(ANSWER.copy())));
    HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(port).setIdleTimeout(120);
    return vertx.createHttpServer(options).requestHandler(router).listen();
  }

  public static void main(String[] args) {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 18700;
    int instances = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    vertx.deployVerticle(() -> new BareRoute(port), new DeploymentOptions().setInstances(instances))
        .onSuccess(id -> System.out.println("bare route listening on 127.0.0.1:" + port + " with " + instances
            + " instances, native transport " + vertx.isNativeTransportEnabled()))
        .onFailure(failure -> {
          failure.printStackTrace();
          vertx.close();
          System.exit(1);
        });
  }
}
