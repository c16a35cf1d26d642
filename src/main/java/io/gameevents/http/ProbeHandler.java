package io.gameevents.http;

import io.gameevents.cluster.ClusterView;
import io.gameevents.dedup.routing.DedupProbe;
import io.gameevents.http.auth.AdminTokens;
import io.gameevents.http.auth.AuthenticationException;
import io.gameevents.http.problem.Reason;
import io.gameevents.pipeline.Pipeline;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Liveness and readiness. /health is 200 while the process runs. /ready is 200 only when every
 * dedup partition answers on its address (so it has an owner that accepts, wherever it runs) and
 * some delivery stage's sink accepts writes; 503 while draining. It asks over the same event bus
 * the events take, so a load balancer's view matches what a request would meet.
 *
 * <p>The details (node ids, stages, data paths and sink errors in the details) are for operators: the
 * management listener shows them, the public one only to a request with an admin token ({@code admin.tokens}).
 * Anyone else gets the status alone, since the public port is on the internet.
 */
final class ProbeHandler {

  private static final DeliveryOptions PROBE = new DeliveryOptions().setSendTimeout(2000);
  private static final int MAX_LISTED = 16;

  private final Vertx vertx;
  private final BooleanSupplier draining;
  private final ClusterView view;
  private final int partitions;

  private final AdminTokens adminTokens;

  ProbeHandler(Vertx vertx, BooleanSupplier draining, ClusterView view, int partitions, AdminTokens adminTokens) {
    this.vertx = vertx;
    this.draining = draining;
    this.view = view;
    this.partitions = partitions;
    this.adminTokens = adminTokens;
  }

  /**
   * Whether a request on the public listener may see the details: it carries an admin token. A wrong or missing
   * one is not refused (a load balancer sends none): it gets the status alone.
   */
  boolean carriesAdminToken(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !adminTokens.configured()) {
      return false;
    }
    try {
      adminTokens.authenticate(header);
      return true;
    } catch (AuthenticationException notAdmin) {
      return false;
    }
  }

  void health(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("status", "up").toBuffer());
  }

  void ready(RoutingContext ctx, boolean details) {
    if (draining.getAsBoolean()) {
      notReady(ctx, details, "draining for shutdown", new JsonObject());
      return;
    }
    List<Future<Message<JsonObject>>> owners = new ArrayList<>(partitions);
    for (int p = 0; p < partitions; p++) {
      owners.add(vertx.eventBus().request(Pipeline.dedupAddress(p), DedupProbe.INSTANCE, PROBE));
    }
    List<ClusterView.Node> deliveryNodes = view.deliveryNodes();
    List<Future<Message<JsonObject>>> sinks = new ArrayList<>();
    for (ClusterView.Node node : deliveryNodes) {
      sinks.add(vertx.eventBus().request(Pipeline.deliveryHealthAddress(node.id()), null, PROBE));
    }
    List<Future<?>> all = new ArrayList<>(owners);
    all.addAll(sinks);
    Future.join(all).onComplete(done -> {
      JsonArray missing = new JsonArray();
      for (int p = 0; p < partitions; p++) {
        Future<Message<JsonObject>> owner = owners.get(p);
        if (owner.failed() || !owner.result().body().getBoolean("accepting", false)) {
          missing.add(p);
        }
      }
      JsonObject delivery = new JsonObject();
      String sinkProblem = deliveryNodes.isEmpty() ? "no node runs the delivery stage" : null;
      boolean sinkReady = false;
      for (int i = 0; i < deliveryNodes.size(); i++) {
        Future<Message<JsonObject>> sink = sinks.get(i);
        JsonObject state = sink.succeeded() ? sink.result().body() : down(sink.cause());
        delivery.put(deliveryNodes.get(i).id(), state);
        sinkReady |= state.getBoolean("ready", false);
        sinkProblem = sinkReady ? null : state.getString("detail");
      }
      JsonObject stages = new JsonObject()
          .put("dedup", new JsonObject().put("partitions", partitions)
              .put("served", partitions - missing.size()).put("missing", missing))
          .put("delivery", delivery);
      if (missing.isEmpty() && sinkReady) {
        JsonObject ready = new JsonObject().put("status", "ready");
        ctx.response().putHeader("Content-Type", "application/json")
            .end((details ? ready.put("node", view.selfId()).put("stages", stages) : ready).toBuffer());
      } else if (!missing.isEmpty()) {
        notReady(ctx, details, "dedup partitions without an owner that accepts events: " + list(missing)
            + " (of " + partitions + "); requests for them get 503 until another node takes them", stages);
      } else {
        notReady(ctx, details, "the sink does not accept writes: " + sinkProblem, stages);
      }
    });
  }

  /**
   * GET /health/sink: the remote sink as each delivery node sees it (in spool mode through its
   * forwarder, with the spool's figures). 200 when every node's sink accepts writes, else 503 naming
   * the first that does not. In spool mode an outage shows here, not on /ready: the node still
   * takes events, into its spool.
   */
  void sink(RoutingContext ctx, boolean details) {
    List<ClusterView.Node> nodes = view.deliveryNodes();
    List<Future<Message<JsonObject>>> answers = new ArrayList<>();
    for (ClusterView.Node node : nodes) {
      answers.add(vertx.eventBus().request(Pipeline.deliveryHealthAddress(node.id()), null, PROBE));
    }
    Future.join(new ArrayList<Future<?>>(answers)).onComplete(done -> {
      JsonObject states = new JsonObject();
      String problem = nodes.isEmpty() ? "no node runs the delivery stage" : null;
      for (int i = 0; i < nodes.size(); i++) {
        Future<Message<JsonObject>> answer = answers.get(i);
        JsonObject state = answer.succeeded() ? answer.result().body()
            : new JsonObject().put("remote", down(answer.cause()));
        JsonObject remote = state.getJsonObject("remote", down(new IllegalStateException("no remote sink state")));
        states.put(nodes.get(i).id(), state);
        if (problem == null && !remote.getBoolean("ready", false)) {
          problem = "node " + nodes.get(i).id() + ": " + remote.getString("detail");
        }
      }
      if (problem == null) {
        JsonObject ok = new JsonObject().put("status", "ok");
        ctx.response().putHeader("Content-Type", "application/json")
            .end((details ? ok.put("nodes", states) : ok).toBuffer());
      } else if (details) {
        Problem.of(Reason.SINK_UNAVAILABLE, problem).with("nodes", states)
            .send(ctx);
      } else {
        Problem.of(Reason.SINK_UNAVAILABLE, "the sink does not accept writes")
            .send(ctx);
      }
    });
  }

  private static String list(JsonArray partitions) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < Math.min(MAX_LISTED, partitions.size()); i++) {
      text.append(i == 0 ? "" : ", ").append(partitions.getInteger(i));
    }
    return partitions.size() > MAX_LISTED ? text + " and " + (partitions.size() - MAX_LISTED) + " more" : text.toString();
  }

  private static JsonObject down(Throwable cause) {
    return new JsonObject().put("ready", false).put("detail", "no answer: " + cause.getMessage());
  }

  private static void notReady(RoutingContext ctx, boolean details, String detail, JsonObject stages) {
    if (details) {
      Problem.of(Reason.NOT_READY, detail).with("stages", stages).send(ctx);
    } else {
      Problem.of(Reason.NOT_READY, "this node does not take events now").send(ctx);
    }
  }
}
