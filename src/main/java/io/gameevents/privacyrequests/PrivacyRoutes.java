package io.gameevents.privacyrequests;

import io.gameevents.http.OperatorTools;
import io.gameevents.http.Problem;
import io.gameevents.http.auth.AdminTokens;
import io.gameevents.http.problem.Reason;
import io.gameevents.pipeline.PipelineEvent;
import io.gameevents.privacy.Subject;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/privacy/requests} and {@code GET /v1/privacy/requests/{id}}, mounted beside the debugger (on the
 * management port when one is set) and opened by the same admin tokens, under the same throttle of wrong ones. Not
 * a game's API key: a privacy request erases a player's data, an operator's act.
 */
public final class PrivacyRoutes implements OperatorTools {

  /** A request body is a few ids: anything larger is not one. */
  static final int MAX_BODY_BYTES = 4096;
  private static final int MAX_ID_CHARS = 128;
  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final Set<String> FIELDS = Set.of("type", "app_id", "player_id", "device_id", "request_id");

  private final OperatorTools tools;
  private final PrivacyRequests requests;

  /** The operator tools {@code tools} with the privacy requests' routes mounted beside theirs. */
  public PrivacyRoutes(OperatorTools tools, PrivacyRequests requests) {
    this.tools = tools;
    this.requests = requests;
  }

  @Override
  public void mountRoutes(Router router) {
    tools.mountRoutes(router);
    router.post("/v1/privacy/requests").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
        .handler(ctx -> tools.authorizeAdmin(ctx, "privacy requests", admin -> submit(ctx)));
    router.get("/v1/privacy/requests/:id").handler(ctx -> tools.authorizeAdmin(ctx, "privacy requests", admin -> report(ctx)));
  }

  private void submit(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().buffer() == null ? null : ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      body = null;
    }
    if (body == null) {
      Problem.of(Reason.MALFORMED_REQUEST, "the body must be a JSON object: {\"type\": \"erase\"|\"suppress\"|"
          + "\"unsuppress\", \"app_id\": ..., \"player_id\": ...} (or \"device_id\")").send(ctx);
      return;
    }
    JsonArray errors = new JsonArray();
    PrivacyRequests.Submission submission = read(body, errors);
    if (submission == null) {
      Problem.of(Reason.INVALID_PRIVACY_REQUEST, "the privacy request has " + errors.size() + " invalid field(s)")
          .errors(errors).send(ctx);
      return;
    }
    requests.submit(submission).onComplete(result -> {
      if (result.failed()) {
        Problem.of(Reason.UNAVAILABLE, "the privacy request could not be kept on disk; nothing was changed if it "
            + "is new: send it again").retryAfter(5).send(ctx);
      } else if (result.result() instanceof PrivacyRequests.Conflict conflict) {
        Problem.of(Reason.PRIVACY_REQUEST_CONFLICT, "request_id \"" + conflict.requestId() + "\" already names a "
            + "privacy request with another type, app or subject; choose a new request_id")
            .errors(new JsonArray().add(error("/request_id", "already used by another request"))).send(ctx);
      } else {
        JsonObject report = ((PrivacyRequests.Accepted) result.result()).report();
        ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json")
            .putHeader("Location", "/v1/privacy/requests/" + report.getString("request_id"))
            .end(report.toBuffer());
      }
    });
  }

  /** The submission, or null with each bad field in {@code errors}. */
  static PrivacyRequests.Submission read(JsonObject body, JsonArray errors) {
    for (String name : body.fieldNames()) {
      if (!FIELDS.contains(name)) {
        errors.add(error("/" + name, "not a field of a privacy request (type, app_id, player_id, device_id, "
            + "request_id)"));
      }
    }
    Object typeValue = body.getValue("type");
    RequestType type = typeValue instanceof String word ? RequestType.ofWire(word) : null;
    if (type == null) {
      errors.add(error("/type", "must be \"erase\", \"suppress\" or \"unsuppress\""));
    }
    Object app = body.getValue("app_id");
    if (!(app instanceof String appId) || !PipelineEvent.isWellFormedAppId(appId)) {
      errors.add(error("/app_id", "must be the app's id, as its events carry it"));
    }
    Object player = body.getValue("player_id");
    Object device = body.getValue("device_id");
    if ((player == null) == (device == null)) {
      errors.add(error(player == null ? "/player_id" : "/device_id", "give exactly one of player_id and device_id"));
    } else {
      String field = player != null ? "player_id" : "device_id";
      Object id = player != null ? player : device;
      if (!(id instanceof String text) || text.isEmpty() || text.length() > MAX_ID_CHARS) {
        errors.add(error("/" + field, "must be the id as the events carry it: 1-" + MAX_ID_CHARS + " characters"));
      }
    }
    Object requestId = body.getValue("request_id");
    if (requestId != null && !(requestId instanceof String text && REQUEST_ID.matcher(text).matches())) {
      errors.add(error("/request_id", "must be 1-64 letters, digits and . _ : -"));
    }
    if (!errors.isEmpty()) {
      return null;
    }
    Subject subject = player != null ? new Subject((String) app, Subject.Kind.PLAYER, (String) player)
        : new Subject((String) app, Subject.Kind.DEVICE, (String) device);
    return new PrivacyRequests.Submission((String) requestId, type, subject);
  }

  private void report(RoutingContext ctx) {
    JsonObject report = requests.report(ctx.pathParam("id"));
    if (report == null) {
      Problem.of(Reason.NOT_FOUND, "no privacy request has this id on this node").send(ctx);
      return;
    }
    ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(report.toBuffer());
  }

  private static JsonObject error(String pointer, String message) {
    return new JsonObject().put("pointer", pointer).put("message", message);
  }

  @Override
  public boolean watching() {
    return tools.watching();
  }

  @Override
  public void seen(Seen seen) {
    tools.seen(seen);
  }

  @Override
  public void seenAll(List<? extends Seen> seen) {
    tools.seenAll(seen);
  }

  @Override
  public AdminTokens tokens() {
    return tools.tokens();
  }

  @Override
  public void authorizeAdmin(RoutingContext ctx, String tool, java.util.function.Consumer<String> then) {
    tools.authorizeAdmin(ctx, tool, then);
  }
}
