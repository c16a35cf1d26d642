package io.gameevents.delivery.firehose;

import io.gameevents.config.ConfigException;
import io.gameevents.delivery.Sink;
import io.gameevents.delivery.SinkHealth;
import io.gameevents.delivery.SinkLimits;
import io.gameevents.delivery.WriteResult;
import io.gameevents.delivery.firehose.FirehoseErrors.Failure;
import io.gameevents.delivery.firehose.FirehoseErrors.Kind;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.services.firehose.FirehoseAsyncClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamDescription;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchRequest;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponseEntry;
import software.amazon.awssdk.services.firehose.model.Record;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Delivers records to an Amazon Data Firehose stream (Direct PUT) with PutRecordBatch: one call per
 * {@link #write}. Retries are not made here: the SDK never retries (see {@link FirehoseClients}) and
 * the {@link io.gameevents.delivery.RetryingWriter} in front re-sends only the records without a
 * RecordId. This class builds the call and classifies its errors ({@link FirehoseErrors}). A record
 * is reported delivered only when Firehose returned its RecordId.
 *
 * <p>Each event is one Firehose record, or with {@code aggregate} consecutive events share records
 * up to the record limit ({@link RecordBatch}); a record's RecordId or ErrorCode then stands for all
 * of its events. Describes check that the stream's destination splits such records
 * ({@link AggregationFit}): one that reads a JSON object per record fails start-up, or later makes
 * writes refused.
 *
 * <p>Fatal errors (unknown stream, access denied, missing credentials, invalid argument, KMS) are
 * logged once at ERROR and put the sink in a fatal state: health is not ready and writes complete at
 * once as REFUSED, without calling Firehose, until a DescribeDeliveryStream reports the stream ACTIVE
 * again. When a describe can't tell (the IAM policy may lack DescribeDeliveryStream, or Firehose is
 * unreachable), the next write after it is let through as a probe: one call, leaving the fatal state
 * if Firehose answers it, so a passing error (KMS, IAM propagation) needs no restart. A stream that
 * exists but is not ACTIVE (CREATING, ...) makes health not ready but writes are still tried:
 * Firehose's answer per record is what counts.
 *
 * <p>Threading: create, start, write and close on one Vert.x context (the delivery verticle's). SDK
 * calls are started on a worker thread and their completions brought back to that context.
 * {@link #health()} and {@link #counters()} may be read anywhere.
 */
public final class FirehoseSink implements Sink {

  /** 500 records per call: Firehose's quota. */
  static final int MAX_RECORDS = 500;
  /**
   * Firehose allows 4 MiB (4,194,304 bytes) of record data per call; the API reference also says
   * "4 MB". 4,000,000 satisfies both readings and leaves ~190 KB of margin.
   */
  static final long MAX_BATCH_BYTES = 4_000_000L;
  /** 1,000 KiB per record, the '\n' this sink appends included. */
  static final int MAX_RECORD_BYTES = 1_024_000 - 1;
  public static final SinkLimits LIMITS = new SinkLimits(MAX_RECORDS, MAX_BATCH_BYTES, MAX_RECORD_BYTES);
  /**
   * With aggregation a write's limits count events: every event takes at least its '\n', so bytes
   * bound a write first, and 4,000,000 bytes pack into at most 7 records (packing is greedy, so
   * any two neighbouring records together exceed the 1,000 KiB of one), far below 500.
   */
  public static final SinkLimits AGGREGATED_LIMITS = new SinkLimits((int) MAX_BATCH_BYTES, MAX_BATCH_BYTES,
      MAX_RECORD_BYTES);

  /** While fatal, describe at least this often so a fixed stream is noticed soon. */
  private static final long FATAL_DESCRIBE_INTERVAL_MS = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(FirehoseSink.class);

  private final Vertx vertx;
  private final Context context;
  private final FirehoseSinkConfig config;
  private final AwsCredentialsProvider credentials;
  private final boolean ownsCredentials;
  private final FirehoseMetrics.StreamMeters streamMeters;
  private final FirehoseCounters counters;

  private FirehoseClients.Handle handle;
  private FirehoseAsyncClient client;
  private volatile SinkHealth streamHealth;
  /** Whether {@link #streamHealth} comes from a describe that failed (rather than a status it read). */
  private boolean describeFailed;
  /** Non-null while writes are refused; cleared by a describe that sees the stream ACTIVE. */
  private Failure fatal;
  /** What {@link #health()} reports while {@link #fatal} is set (read from any thread). */
  private volatile SinkHealth fatalHealth;
  /**
   * Set while fatal when a describe could not confirm the stream ACTIVE (e.g. the policy lacks
   * firehose:DescribeDeliveryStream): the next write may try one call to find out whether the error
   * is gone. Set at most once per describe, so at most one probe call per fatal describe interval.
   */
  private boolean probeAllowed;
  private long describeTimer = -1;
  /**
   * Set while aggregated records go to a stream whose destination reads one JSON object per record
   * (see {@link AggregationFit}): writes are refused until a describe shows another destination.
   */
  private volatile SinkHealth unsuitedDestination;
  /** The last destination warned about as not known to split aggregated records, so the warning is once. */
  private String warnedDestination;
  /** Volatile: read on worker threads so that no SDK call starts after close. */
  private volatile boolean closing;
  private Promise<Void> closed;

  /** Production: credentials from the AWS default chain (environment, profile, instance/task role). */
  public FirehoseSink(Vertx vertx, FirehoseSinkConfig config) {
    this(vertx, config, null);
  }

  /** Tests: explicit credentials (e.g. {@code StaticCredentialsProvider}). */
  public FirehoseSink(Vertx vertx, FirehoseSinkConfig config, AwsCredentialsProvider credentials) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.config = config;
    this.ownsCredentials = credentials == null;
    this.credentials = credentials != null ? credentials : DefaultCredentialsProvider.builder().build();
    this.streamHealth = SinkHealth.notReady("stream " + config.streamName() + " not described yet");
    this.streamMeters = FirehoseMetrics.forStream(config.streamName());
    this.counters = new FirehoseCounters(streamMeters.totals);
  }

  @Override
  public SinkLimits limits() {
    return limits(config);
  }

  static SinkLimits limits(FirehoseSinkConfig config) {
    return config.aggregate() ? AGGREGATED_LIMITS : LIMITS;
  }

  /** Fails only on configuration errors; an unreachable or missing stream shows in {@link #health()}. */
  @Override
  public Future<Void> start() {
    if (client != null) {
      return Future.failedFuture(new IllegalStateException("FirehoseSink already started"));
    }
    try {
      handle = FirehoseClients.create(config, credentials);
      client = handle.client();
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    } catch (RuntimeException e) {
      return Future.failedFuture(new ConfigException("delivery.firehose: cannot create the Firehose client: "
          + FirehoseErrors.oneLine(e)));
    }
    streamMeters.live.add(this);
    return describe().compose(described -> {
      SinkHealth unsuited = unsuitedDestination;
      if (unsuited != null) {
        // known at start-up: a configuration error, like an unknown config key
        return close().transform(closed -> Future.failedFuture(new ConfigException(unsuited.detail())));
      }
      scheduleDescribe();
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<WriteResult> write(List<byte[]> records, long timeoutMs) {
    if (records.isEmpty()) {
      return Future.succeededFuture(WriteResult.allDelivered(0));
    }
    boolean probe = fatal != null && probeAllowed;
    if (client == null || closing) {
      return Future.succeededFuture(WriteResult.noneDelivered(records.size(), WriteResult.Failure.REFUSED,
          "Firehose sink closed"));
    }
    SinkHealth unsuited = unsuitedDestination;
    if (unsuited != null) {
      return Future.succeededFuture(WriteResult.noneDelivered(records.size(), WriteResult.Failure.REFUSED,
          unsuited.detail()));
    }
    if (fatal != null && !probe) {
      return Future.succeededFuture(WriteResult.noneDelivered(records.size(), WriteResult.Failure.REFUSED,
          fatalHealth.detail()));
    }
    probeAllowed = false;
    RecordBatch batch = RecordBatch.of(records, config.aggregate());
    return putRecordBatch(batch.records(), timeoutMs).transform(answer -> {
      if (answer.succeeded()) {
        if (probe) {
          leaveFatalAfterProbe();
        }
        return Future.succeededFuture(confirmed(answer.result(), batch, records.size()));
      }
      return Future.succeededFuture(failed(FirehoseErrors.classify(answer.cause()), records.size()));
    });
  }

  /**
   * Only a RecordId proves Firehose stored a record; a per-record ErrorCode is retried. The events
   * of an aggregated record share its fate. Counts are of events, the sink's records.
   */
  private WriteResult confirmed(PutRecordBatchResponse response, RecordBatch batch, int size) {
    List<PutRecordBatchResponseEntry> entries = response.requestResponses();
    WriteResult result = WriteResult.of(size);
    for (int r = 0; r < batch.records().size(); r++) {
      PutRecordBatchResponseEntry entry = r < entries.size() ? entries.get(r) : null;
      if (entry != null && entry.recordId() != null && entry.errorCode() == null) {
        for (int event = batch.firstEvent(r); event < batch.endEvent(r); event++) {
          result.markDelivered(event);
        }
      } else {
        result.failed(WriteResult.Failure.RETRY, "Firehose did not store the record: "
            + (entry == null ? "no entry in its answer" : entry.errorCode()));
      }
    }
    if (result.deliveredCount() > 0 && describeFailed && !streamHealth.ready()) {
      // the latest evidence wins: a describe that failed during an outage must not keep /ready at 503
      // for a whole describe interval while writes succeed again (the next describe has its say; a
      // status it did read, such as CREATING, stands)
      setStreamHealth(SinkHealth.ready("stream " + config.streamName() + " accepts writes (the last describe: "
          + streamHealth.detail() + ")"));
    }
    counters.recordsSent.add(result.deliveredCount());
    counters.recordsFailed.add(size - result.deliveredCount());
    return result;
  }

  private WriteResult failed(Failure failure, int size) {
    counters.recordsFailed.add(size);
    WriteResult.Failure why = switch (failure.kind()) {
      case RETRY -> WriteResult.Failure.RETRY;
      case TIMED_OUT -> WriteResult.Failure.TIMED_OUT;
      case THROTTLED -> {
        counters.callsThrottled.add(1);
        yield WriteResult.Failure.THROTTLED;
      }
      case FATAL -> {
        enterFatal(failure);
        yield WriteResult.Failure.REFUSED;
      }
      case GIVE_UP -> WriteResult.Failure.REFUSED;
    };
    return WriteResult.noneDelivered(size, closing ? WriteResult.Failure.REFUSED : why, failure.detail());
  }

  @Override
  public SinkHealth health() {
    SinkHealth unsuited = unsuitedDestination;
    if (unsuited != null) {
      return unsuited;
    }
    SinkHealth refusing = fatalHealth;
    return refusing != null ? refusing : streamHealth;
  }

  /** Running totals for metrics. */
  public FirehoseCounters counters() {
    return counters;
  }

  /**
   * Starts no call from now on and closes the client: a call still in flight is abandoned (the
   * {@link io.gameevents.delivery.RetryingWriter} stopped waiting for it already, reporting its
   * records not delivered).
   */
  @Override
  public Future<Void> close() {
    if (closed != null) {
      return closed.future();
    }
    closing = true;
    probeAllowed = false;
    streamMeters.live.remove(this);
    closed = Promise.promise();
    if (describeTimer != -1) {
      vertx.cancelTimer(describeTimer);
      describeTimer = -1;
    }
    closeClient();
    return closed.future();
  }

  private Future<PutRecordBatchResponse> putRecordBatch(List<Record> records, long timeoutMs) {
    Duration timeout = Duration.ofMillis(Math.max(1, timeoutMs));
    PutRecordBatchRequest request = PutRecordBatchRequest.builder()
        .deliveryStreamName(config.streamName())
        .records(records)
        .overrideConfiguration(o -> o.apiCallTimeout(timeout).apiCallAttemptTimeout(timeout))
        .build();
    counters.callsMade.add(1);
    return callSdk(() -> client.putRecordBatch(request));
  }

  /**
   * Starts an SDK call on a worker thread and completes on the sink's context. The SDK resolves
   * credentials (the default chain may do blocking HTTP to the instance metadata service), marshals
   * (base64 of up to 4 MB) and signs on the calling thread, and loads many classes on its first call:
   * none of that belongs on the event loop.
   */
  private <T> Future<T> callSdk(Supplier<CompletableFuture<T>> call) {
    return vertx.executeBlocking(() -> {
      if (closing) { // closed while this waited for a worker: the client may be closing already
        throw new IllegalStateException("Firehose sink closed");
      }
      return call.get();
    }, false).compose(started -> Future.fromCompletionStage(started, context));
  }

  private void enterFatal(Failure failure) {
    counters.fatalErrors.add(1);
    Failure previous = fatal;
    fatal = failure;
    fatalHealth = SinkHealth.notReady(isNotFound(failure)
        ? "stream " + config.streamName() + " not found in region " + config.region()
        : "stream " + config.streamName() + ": " + failure.detail());
    if (previous == null || !previous.code().equals(failure.code())) {
      LOG.error("Firehose stream '{}' (region {}): {}. Writes are refused until DescribeDeliveryStream reports"
          + " the stream ACTIVE or, if it can't, one write tried every {} ms succeeds.", config.streamName(),
          config.region(), failure.detail(), fatalDescribeIntervalMs());
    }
    if (previous == null && describeTimer != -1 && !closing) {
      // the next regular describe may be up to describe_interval_ms away: check sooner
      vertx.cancelTimer(describeTimer);
      describeTimer = -1;
      scheduleDescribe();
    }
  }

  /** A probe call was answered: PutRecordBatch works again although no describe could confirm it. */
  private void leaveFatalAfterProbe() {
    if (fatal == null || closing) {
      return;
    }
    LOG.info("Firehose stream '{}' accepted a PutRecordBatch again: writes resume (the earlier error was {})",
        config.streamName(), fatal.code());
    fatal = null;
    fatalHealth = null;
  }

  // ---- stream status ----

  /** Never fails: the outcome lands in {@link #streamHealth} (and may set or clear the fatal state). */
  private Future<Void> describe() {
    return callSdk(() -> client.describeDeliveryStream(b -> b.deliveryStreamName(config.streamName())))
        .onSuccess(answer -> onDescribed(answer.deliveryStreamDescription()))
        .onFailure(this::onDescribeFailed)
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  private void onDescribed(DeliveryStreamDescription description) {
    if (closing) {
      return;
    }
    describeFailed = false;
    if (config.aggregate()) {
      checkDestination(AggregationFit.of(description));
    }
    DeliveryStreamStatus status = description.deliveryStreamStatus();
    String statusText = description.deliveryStreamStatusAsString();
    if (status == DeliveryStreamStatus.ACTIVE) {
      setStreamHealth(SinkHealth.ready("stream " + config.streamName() + " ACTIVE"));
      if (fatal != null) {
        LOG.info("Firehose stream '{}' is ACTIVE again: writes resume (the earlier error was {})",
            config.streamName(), fatal.code());
        fatal = null;
        fatalHealth = null;
        probeAllowed = false;
      }
    } else {
      setStreamHealth(SinkHealth.notReady("stream " + config.streamName() + " is " + statusText));
      allowProbeIfFatal(); // writes to a non-ACTIVE stream are tried anyway: let one find out
    }
  }

  private void checkDestination(AggregationFit.Fit fit) {
    if (fit.verdict() == AggregationFit.Verdict.UNSUITED) {
      if (unsuitedDestination == null) {
        unsuitedDestination = SinkHealth.notReady("delivery.firehose.aggregate is true, but stream "
            + config.streamName() + " delivers to " + fit.destination() + ", which reads one JSON object per"
            + " Firehose record: set delivery.firehose.aggregate to false");
        LOG.error("Firehose {}. Writes are refused.", unsuitedDestination.detail());
      }
      return;
    }
    if (unsuitedDestination != null) {
      LOG.info("Firehose stream '{}' now delivers to {}: aggregated writes resume", config.streamName(),
          fit.destination());
      unsuitedDestination = null;
    }
    if (fit.verdict() == AggregationFit.Verdict.UNKNOWN && !fit.destination().equals(warnedDestination)) {
      warnedDestination = fit.destination();
      LOG.warn("Firehose stream '{}' delivers to {}: with delivery.firehose.aggregate each record holds several"
          + " newline-separated events; make sure the destination splits them", config.streamName(),
          fit.destination());
    }
  }

  private void onDescribeFailed(Throwable error) {
    if (closing) {
      return;
    }
    describeFailed = true;
    Failure failure = FirehoseErrors.classify(error);
    if (isNotFound(failure)) {
      enterFatal(failure);
      return;
    }
    // The stream's state is unknown (no describe permission, Firehose unreachable...). If writes are
    // refused, only a write can tell whether the error is gone: allow one.
    allowProbeIfFatal();
    if (failure.kind() == Kind.FATAL) {
      // e.g. a policy without firehose:DescribeDeliveryStream: PutRecordBatch may still work, so no fatal state
      setStreamHealth(SinkHealth.notReady("cannot describe stream " + config.streamName() + ": " + failure.detail()));
    } else if (failure.kind() == Kind.RETRY) {
      setStreamHealth(SinkHealth.notReady(failure.detail())); // "cannot reach Firehose: ..."
    } else {
      setStreamHealth(SinkHealth.notReady("cannot describe stream " + config.streamName() + ": " + failure.detail()));
    }
  }

  private void allowProbeIfFatal() {
    if (fatal != null) {
      probeAllowed = true;
    }
  }

  private void setStreamHealth(SinkHealth health) {
    SinkHealth previous = streamHealth;
    streamHealth = health;
    if (!health.equals(previous)) {
      if (health.ready()) {
        LOG.info("Firehose {}", health.detail());
      } else {
        LOG.warn("Firehose not ready: {}", health.detail());
      }
    }
  }

  private void scheduleDescribe() {
    if (closing) {
      return;
    }
    long delay = fatal != null ? fatalDescribeIntervalMs() : config.describeIntervalMs();
    describeTimer = vertx.setTimer(delay, id -> {
      describeTimer = -1;
      describe().onComplete(done -> scheduleDescribe());
    });
  }

  private long fatalDescribeIntervalMs() {
    return Math.min(config.describeIntervalMs(), FATAL_DESCRIBE_INTERVAL_MS);
  }

  private static boolean isNotFound(Failure failure) {
    return FirehoseErrors.RESOURCE_NOT_FOUND.equals(failure.code());
  }

  // ---- shutdown ----

  private void closeClient() {
    FirehoseClients.Handle sdk = handle;
    // closing waits for the Netty threads to stop: not on the event loop
    vertx.executeBlocking(() -> {
      if (sdk != null) {
        sdk.close();
      }
      if (ownsCredentials && credentials instanceof AutoCloseable closeable) {
        closeable.close();
      }
      return null;
    }, false).<Void>mapEmpty().onComplete(closed);
  }
}
