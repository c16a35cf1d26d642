package io.gameevents.sdk;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Sends game events to the game-events ingestion API (v1).
 * <ul>
 *   <li>{@link #send}, {@link #sendInstall}, {@link #sendPurchase}: one request per event, with retries;
 *   the future tells what became of the event.</li>
 *   <li>{@link #track}: queues the event and returns at once (no I/O, no wait on another thread); queued events
 *   go to {@code /v1/batch} when a batch is full (events or bytes), every flush interval, on {@link #flush()} and
 *   on {@link #close()}.</li>
 * </ul>
 * Every event gets the config's app_id, platform and context where it has none. Every method may be called from
 * any thread; the work runs on the client's Vert.x context (and the disk queue's I/O on its worker thread).
 */
public final class GameEventClient implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(GameEventClient.class.getName());

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final Context context;
  private final GameEventClientConfig config;
  private final WebClient webClient;
  private final RetryingSender sender;
  private final EventQueue queue;
  private final JournalWriter journal;
  private final BatchDispatcher dispatcher;
  private final UnknownStatuses unknownStatuses = new UnknownStatuses();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Future<Void> closeFuture;
  private final Promise<Void> closePromise = Promise.promise();
  private volatile long flushTimerId = -1;
  private volatile long pickupTimerId = -1;

  /**
   * A client on an existing Vert.x instance, which it leaves open on {@link #close()}.
   *
   * @throws UncheckedIOException when the disk queue cannot be opened (e.g. another client holds it)
   */
  public GameEventClient(Vertx vertx, GameEventClientConfig config) {
    this(vertx, false, config, EventJournal::open);
  }

  /**
   * A client on its own small Vert.x instance (one event loop, one worker thread for the disk queue), closed by
   * {@link #close()}.
   */
  public GameEventClient(GameEventClientConfig config) {
    this(ownVertx(), true, config, EventJournal::open);
  }

  /** With another journal, e.g. one whose disk a test holds up. */
  GameEventClient(Vertx vertx, GameEventClientConfig config, Journal.Opener journals) {
    this(vertx, false, config, journals);
  }

  private GameEventClient(Vertx vertx, boolean ownsVertx, GameEventClientConfig config, Journal.Opener journals) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.config = config.copy();
    this.context = vertx.getOrCreateContext();
    Journal journal;
    try {
      journal = this.config.getQueueDirectory() == null ? null
          : journals.open(this.config.getQueueDirectory(), this.config.getQueueName());
    } catch (IOException e) {
      if (ownsVertx) {
        vertx.close();
      }
      throw new UncheckedIOException("cannot open the event queue", e);
    }
    this.queue = journal == null ? EventQueue.inMemory(this.config.getMaxQueuedEvents())
        : EventQueue.journaled(this.config.getMaxQueuedEvents(), journal.recovered());
    if (journal != null && journal.optedOut()) {
      queue.optOut();
      LOG.log(System.Logger.Level.INFO, "tracking is off: the player opted out (GameEventClient.optIn() undoes it)");
    }
    this.journal = new JournalWriter(context, queue, journal);
    this.webClient = WebClient.create(vertx, new WebClientOptions()
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, this.config.getConnectTimeout().toMillis()))
        .setUserAgent(SdkInfo.NAME + "/" + SdkInfo.VERSION)
        .setKeepAlive(true));
    this.sender = new RetryingSender(vertx, webClient, this.config);
    this.dispatcher = new BatchDispatcher(context, queue, this.journal, sender, this.config, unknownStatuses);
    this.closeFuture = closePromise.future();
    int recovered = queue.size();
    context.runOnContext(v -> {
      if (closed.get()) {
        return;
      }
      flushTimerId = vertx.setPeriodic(this.config.getFlushInterval().toMillis(), id -> dispatcher.onTimer());
      pickupTimerId = vertx.setPeriodic(this.config.getPickupInterval().toMillis(), id -> {
        this.journal.onPickup();
        dispatcher.onPickup();
      });
      if (recovered > 0) {
        LOG.log(System.Logger.Level.INFO, recovered + " events recovered from the disk queue");
        dispatcher.onTimer();
      }
    });
  }

  /** Small: a game needs one event loop for its HTTP calls and one worker for the journal's disk writes. */
  private static Vertx ownVertx() {
    return Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
        .setInternalBlockingPoolSize(1));
  }

  /** Sends an install to {@code POST /v1/events/install}. */
  public Future<EventResponse> sendInstall(InstallEvent event) {
    return send(event);
  }

  /** Sends a purchase to {@code POST /v1/events/purchase}. */
  public Future<EventResponse> sendPurchase(PurchaseEvent event) {
    return send(event);
  }

  /**
   * Sends one event now, retrying on connection errors, timeouts, 408, 429 and 5xx within the retry budget.
   * The future succeeds with the outcome, whatever it is (check {@link EventResponse#delivered()}); it fails
   * only when the client is closed. While the player is opted out ({@link #optOut()}) nothing is sent: the future
   * succeeds at once with {@link EventStatus#OPTED_OUT}.
   *
   * @throws IllegalArgumentException when the event is larger than {@code maxEventBytes}
   */
  public Future<EventResponse> send(GameEvent<?> event) {
    if (queue.optedOut() && !closed.get()) {
      return Future.succeededFuture(new EventResponse(0, EventStatus.OPTED_OUT, event.eventId(), "", null, 0, null,
          null, null));
    }
    String json = encode(event);
    String path = pathFor(event);
    return onContext(() -> sender.send(context, path,
            sentAt -> BatchDispatcher.appendWithSentAt(new StringBuilder(json.length() + 40), json, sentAt)
                .toString())
        .map(result -> toEventResponse(event.eventId(), result)));
  }

  /**
   * Queues an event for a batched send, and returns at once: no file I/O, and no lock that file I/O holds
   * (within {@code pickupInterval}, the client's own threads write it to the disk queue and send full batches). When the queue is full the event
   * is dropped (the newest loses: what is queued is older and closer to being sent) and counted in
   * {@link #droppedEvents()}. While the player is opted out ({@link #optOut()}) it does nothing (not even check
   * the event), returns false and counts the event in {@link ClientStats#optedOut()}.
   *
   * @return true when queued, false when dropped or opted out
   * @throws IllegalArgumentException when the event is larger than {@code maxEventBytes}, or has no app_id or
   *                                  platform and the client config none either (unless opted out)
   * @throws IllegalStateException    when the client is closed
   */
  public boolean track(GameEvent<?> event) {
    if (closed.get()) {
      throw new IllegalStateException("the client is closed");
    }
    if (queue.optedOut()) {
      return queue.refuseOptedOut();
    }
    return queue.offer(event.eventId(), encode(event));
  }

  /**
   * The player withdrew consent: from this call on, {@link #track} does nothing (returns false) and {@link #send}
   * sends nothing (its response says {@link EventStatus#OPTED_OUT}); the events still queued are deleted, in memory
   * and from the disk queue, and the choice is recorded beside the disk queue
   * ({@code <queueDirectory>/<queueName>.opted-out}), so it holds after the game restarts. Without a queue
   * directory it lasts as long as this client. A batch already on its way to the server is not called back.
   * <p>
   * Returns at once, from any thread (the disk work runs on the client's worker thread, and no lock a game thread
   * takes is held during it).
   *
   * @return completes once the choice is on disk and the player's events are gone from it; fails when the disk
   *         refused (tracking is off anyway) or the client is closed
   */
  public Future<Void> optOut() {
    if (closed.get()) {
      return Future.failedFuture(new IllegalStateException("the client is closed"));
    }
    int forgotten = queue.optOut();
    LOG.log(System.Logger.Level.INFO, "tracking is off: the player opted out; " + forgotten
        + " queued events deleted");
    return onContext(() -> {
      dispatcher.onOptOut();
      return journal.recordChoice(true);
    });
  }

  /**
   * Undoes {@link #optOut()}: {@link #track} and {@link #send} work again, and the recorded choice is removed from
   * the disk queue's directory. Events tracked while opted out stay lost.
   *
   * @return completes once the choice is removed from the disk
   */
  public Future<Void> optIn() {
    if (closed.get()) {
      return Future.failedFuture(new IllegalStateException("the client is closed"));
    }
    queue.optIn();
    LOG.log(System.Logger.Level.INFO, "tracking is on: the player opted in");
    return onContext(() -> journal.recordChoice(false));
  }

  /** True while the player is opted out ({@link #optOut()}), also when recorded by an earlier run of the game. */
  public boolean optedOut() {
    return queue.optedOut();
  }

  /**
   * Sends everything queued so far. Succeeds once those events were delivered or rejected; fails with
   * {@link BatchDeliveryException} when a batch ran out of retries (its events stay queued for later).
   */
  public Future<Void> flush() {
    return onContext(dispatcher::flush);
  }

  /** Events dropped because the queue was full. */
  public long droppedEvents() {
    return queue.dropped();
  }

  /** Events waiting in the queue. */
  public int queuedEvents() {
    return queue.size();
  }

  public ClientStats stats() {
    return new ClientStats(queue.size(), dispatcher.accepted(), dispatcher.duplicates(), dispatcher.rejected(),
        queue.dropped(), dispatcher.failedBatches(), dispatcher.suppressed(), dispatcher.unknownStatus(),
        queue.optedOutEvents());
  }

  /**
   * Flushes (within the retry budget), then releases the HTTP client, the disk queue and, when the client
   * created it, the Vert.x instance. Events still queued stay in the disk queue for the next client; without
   * one they are lost (and logged). Always succeeds; later calls return the same future.
   */
  public Future<Void> closeAsync() {
    if (!closed.compareAndSet(false, true)) {
      return closeFuture;
    }
    context.runOnContext(v -> {
      vertx.cancelTimer(flushTimerId);
      vertx.cancelTimer(pickupTimerId);
      dispatcher.flush()
          .recover(failure -> Future.succeededFuture())
          .compose(v2 -> journal.close())
          .recover(failure -> Future.succeededFuture())
          .compose(v2 -> {
            webClient.close();
            return ownsVertx ? vertx.close() : Future.<Void>succeededFuture();
          })
          .onComplete(done -> closePromise.complete());
    });
    return closeFuture;
  }

  /**
   * {@link #closeAsync()}, waiting until it is done (the last flush takes at most about {@code maxRetryDuration}
   * plus {@code requestTimeout}), for try-with-resources. On a Vert.x thread, which must never block, it starts
   * closing and returns at once: use {@link #closeAsync()} there.
   */
  @Override
  public void close() {
    Future<Void> closing = closeAsync();
    if (!Context.isOnVertxThread()) {
      closing.await(); // never fails
    }
  }

  /** The event as sent, with the config's app_id, platform and context filled in where it has none. */
  private String encode(GameEvent<?> event) {
    JsonObject payload = event.toJson(config.getAppId(), config.getPlatform(), config.getContext());
    for (String required : new String[] {"app_id", "platform"}) {
      if (!payload.containsKey(required)) {
        throw new IllegalArgumentException("event " + event.eventId() + " has no " + required + ": set it on the"
            + " event, or once for every event on the client config (GameEventClientConfig.builder()."
            + (required.equals("app_id") ? "appId" : "platform") + "(...))");
      }
    }
    String json = payload.encode();
    int bytes = json.getBytes(StandardCharsets.UTF_8).length + EventQueue.PER_EVENT_OVERHEAD_BYTES;
    if (bytes > config.getMaxEventBytes()) {
      throw new IllegalArgumentException("event " + event.eventId() + " is " + bytes
          + " bytes, more than maxEventBytes (" + config.getMaxEventBytes() + "): trim its properties");
    }
    return json;
  }

  private static String pathFor(GameEvent<?> event) {
    if (event instanceof InstallEvent) {
      return "/v1/events/install";
    }
    if (event instanceof PurchaseEvent) {
      return "/v1/events/purchase";
    }
    return "/v1/events";
  }

  /** Runs on the client's context, from whatever thread the game calls on. */
  private <T> Future<T> onContext(Supplier<Future<T>> work) {
    if (closed.get()) {
      return Future.failedFuture(new IllegalStateException("the client is closed"));
    }
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> {
      try {
        work.get().onComplete(promise);
      } catch (RuntimeException e) {
        promise.fail(e);
      }
    });
    return promise.future();
  }

  private EventResponse toEventResponse(String eventId, RetryingSender.Result result) {
    int status = result.status();
    String body = result.body();
    if (result.response() == null) {
      return new EventResponse(0, EventStatus.FAILED, eventId, "", null, result.attempts(), result.failure(),
          result.requestId(), null);
    }
    JsonObject json = parseObject(body);
    if (status >= 200 && status < 300) {
      Outcome outcome = Outcome.of(json, Outcome.Verdict.UNKNOWN);
      EventStatus eventStatus = switch (outcome.verdict()) {
        case ACCEPTED -> EventStatus.ACCEPTED;
        case DUPLICATE -> EventStatus.DUPLICATE;
        case SUPPRESSED -> EventStatus.SUPPRESSED;
        case REJECTED -> EventStatus.REJECTED;
        case NOT_STORED -> EventStatus.FAILED;
        case UNKNOWN -> EventStatus.UNKNOWN;
      };
      if (eventStatus == EventStatus.UNKNOWN) {
        unknownStatuses.seen(eventId, outcome.rawStatus());
      }
      return new EventResponse(status, eventStatus, eventId, body, null, result.attempts(), null, result.requestId(),
          outcome.rawStatus());
    }
    Problem problem = json == null ? null : Problem.from(json, status);
    EventStatus eventStatus = RetryPolicy.isRetryableStatus(status) ? EventStatus.FAILED : EventStatus.REJECTED;
    return new EventResponse(status, eventStatus, eventId, body, problem, result.attempts(), result.failure(),
        result.requestId(), null);
  }

  static JsonObject parseObject(String body) {
    try {
      return body.isEmpty() ? null : new JsonObject(body);
    } catch (DecodeException | ClassCastException notJson) {
      return null;
    }
  }
}
