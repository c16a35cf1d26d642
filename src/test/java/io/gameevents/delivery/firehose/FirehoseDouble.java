package io.gameevents.delivery.firehose;

import io.gameevents.delivery.Sinks;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * An in-process Amazon Data Firehose speaking the AWS JSON 1.1 wire protocol (PutRecordBatch,
 * DescribeDeliveryStream), so the real SDK client is exercised, with runtime fault injection:
 * per-record failures, throttled calls, latency, outages, unknown streams, forced error codes and
 * answers lost after the records were stored (the at-least-once duplicate).
 *
 * <p>Point a client at {@link #endpoint()} with any static credentials; the signature is not checked.
 * It enforces Firehose's real quotas (500 records, 1,000 KiB per record, 4 MiB per call) by answering
 * InvalidArgumentException. Setters and readers are thread-safe; randomness is seeded (reproducible
 * for one request order).
 */
public final class FirehoseDouble {

  /** The stream the double knows from the start. */
  public static final String STREAM = "game-events-test";
  public static final int MAX_RECORDS = 500;
  public static final int MAX_RECORD_BYTES = 1_024_000;
  public static final int MAX_CALL_BYTES = 4 * 1024 * 1024;

  static final String PUT_RECORD_BATCH = "Firehose_20150804.PutRecordBatch";
  static final String DESCRIBE = "Firehose_20150804.DescribeDeliveryStream";
  private static final String JSON_1_1 = "application/x-amz-json-1.1";

  public enum Outage {
    /** Serving normally. */
    NONE,
    /** Every call answers HTTP 503 ServiceUnavailableException; nothing stored. */
    UNAVAILABLE,
    /** Every request's connection is closed without an answer; nothing stored. */
    CLOSE_CONNECTIONS,
    /** The port is closed: connections are refused. */
    REFUSE_CONNECTIONS
  }

  /**
   * One request as the double saw it. For PutRecordBatch {@code records} holds the decoded Data in
   * request order and {@code stored} which of them were accepted; {@code error} is the whole-call
   * error type answered (null if the call was answered 200).
   */
  public record Call(int number, String operation, String streamName, List<String> records, List<Boolean> stored,
      String error, boolean answerLost) {

    public long dataBytes() {
      return records.stream().mapToLong(r -> r.getBytes(StandardCharsets.UTF_8).length).sum();
    }

    public boolean isPutRecordBatch() {
      return "PutRecordBatch".equals(operation);
    }
  }

  private final Vertx vertx;
  private final Random random = new Random(20_150_804L);
  private final Set<String> streams = ConcurrentHashMap.newKeySet();
  private HttpServer server;
  private int port;

  private volatile double recordFailureShare;
  private volatile double throttleShare;
  private volatile double loseAnswerShare;
  private volatile long latencyMs;
  private volatile Outage outage = Outage.NONE;
  private volatile String streamStatus = "ACTIVE";
  private volatile boolean denyDescribe;
  private volatile String destination = "ExtendedS3";

  // guarded by this
  private int loseNextAnswers;
  private int forcedErrors;
  private int forcedStatus;
  private String forcedErrorType;
  private final List<String> records = new ArrayList<>();
  private final List<Call> calls = new ArrayList<>();
  private int maxRecordsPerCall;
  private int outageCalls;
  private long maxBytesPerCall;

  private FirehoseDouble(Vertx vertx) {
    this.vertx = vertx;
    streams.add(STREAM);
  }

  /** Listens on a free port of 127.0.0.1. */
  public static Future<FirehoseDouble> start(Vertx vertx) {
    FirehoseDouble firehose = new FirehoseDouble(vertx);
    return firehose.listen(0).map(firehose);
  }

  /** Static credentials for a sink talking to the double: the double checks no signature. */
  public static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

  /**
   * The sinks a service under test creates, as {@link FirehoseSinkType} does, with
   * {@link #CREDENTIALS} instead of the AWS default chain.
   */
  public static Sinks.Factory sinks() {
    return (vertx, config, registry) -> FirehoseSinkType.sink(vertx, config.settings(FirehoseSinkType.TYPE),
        CREDENTIALS);
  }

  /** For {@code endpointOverride}: {@code http://127.0.0.1:<port>}. */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  // ---- faults ----

  /** Share (0..1) of records answered with ErrorCode ServiceUnavailableException in a 200 answer. */
  public FirehoseDouble recordFailureShare(double share) {
    this.recordFailureShare = share;
    return this;
  }

  /**
   * Share (0..1) of PutRecordBatch calls refused whole with ServiceUnavailableException (HTTP 400, so
   * a sink that classified by status instead of error code would get it wrong).
   */
  public FirehoseDouble throttleShare(double share) {
    this.throttleShare = share;
    return this;
  }

  /** Delay before each answer (records are stored on arrival, before the delay). */
  public FirehoseDouble latencyMs(long millis) {
    this.latencyMs = millis;
    return this;
  }

  /** Share (0..1) of successful PutRecordBatch calls whose records are stored but whose answer is lost. */
  public FirehoseDouble loseAnswerShare(double share) {
    this.loseAnswerShare = share;
    return this;
  }

  /** The next {@code count} successful PutRecordBatch calls store their records, then drop the connection. */
  public synchronized FirehoseDouble loseNextAnswers(int count) {
    this.loseNextAnswers = count;
    return this;
  }

  /**
   * The next {@code count} PutRecordBatch calls (to a known stream) fail whole with this HTTP status
   * and error type, e.g. (400, "AccessDeniedException"), (400, "LimitExceededException"), (500, "InternalFailure").
   */
  public synchronized FirehoseDouble failNextCalls(int count, int status, String errorType) {
    this.forcedErrors = count;
    this.forcedStatus = status;
    this.forcedErrorType = errorType;
    return this;
  }

  /** Starts or ends an outage. Completes once the port is closed or listening again. */
  public Future<Void> outage(Outage mode) {
    Outage previous = this.outage;
    this.outage = mode;
    if (mode == Outage.REFUSE_CONNECTIONS && previous != Outage.REFUSE_CONNECTIONS) {
      return server.close();
    }
    if (mode != Outage.REFUSE_CONNECTIONS && previous == Outage.REFUSE_CONNECTIONS) {
      return listen(port).mapEmpty();
    }
    return Future.succeededFuture();
  }

  public Outage outage() {
    return outage;
  }

  /** The status DescribeDeliveryStream reports, e.g. "CREATING" (default "ACTIVE"). */
  public FirehoseDouble streamStatus(String status) {
    this.streamStatus = status;
    return this;
  }

  /**
   * Answers DescribeDeliveryStream with AccessDeniedException (HTTP 400), as for an IAM policy that
   * allows only firehose:PutRecordBatch. Not reset by {@link #clearFaults()}: it is configuration.
   */
  public FirehoseDouble denyDescribe(boolean deny) {
    this.denyDescribe = deny;
    return this;
  }

  /**
   * The destination DescribeDeliveryStream reports: "ExtendedS3" (default), "Snowflake",
   * "AmazonOpenSearchService", "HttpEndpoint". Configuration: not reset by {@link #clearFaults()}.
   */
  public FirehoseDouble destination(String kind) {
    this.destination = kind;
    return this;
  }

  public FirehoseDouble addStream(String name) {
    streams.add(name);
    return this;
  }

  /** Calls naming it get ResourceNotFoundException from now on. */
  public FirehoseDouble removeStream(String name) {
    streams.remove(name);
    return this;
  }

  /** Back to a healthy double (stored records and the call log are kept). */
  public synchronized FirehoseDouble clearFaults() {
    recordFailureShare = 0;
    throttleShare = 0;
    loseAnswerShare = 0;
    latencyMs = 0;
    loseNextAnswers = 0;
    forcedErrors = 0;
    streamStatus = "ACTIVE";
    return this;
  }

  // ---- what it saw ----

  /** Every stored record (decoded Data, the sink's '\n' included), in arrival order. */
  public synchronized List<String> records() {
    return List.copyOf(records);
  }

  public synchronized List<String> records(Predicate<String> matching) {
    return records.stream().filter(matching).toList();
  }

  /** How many times exactly this Data was stored. */
  public synchronized long count(String data) {
    return records.stream().filter(data::equals).count();
  }

  /** Every request received (all operations), in arrival order. */
  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  public synchronized List<Call> putRecordBatchCalls() {
    return calls.stream().filter(Call::isPutRecordBatch).toList();
  }

  /** Largest record count of one PutRecordBatch request received (rejected ones included). */
  /** Calls answered 503 by an {@link Outage#UNAVAILABLE} outage so far: proof that one was met. */
  public synchronized int outageCalls() {
    return outageCalls;
  }

  private synchronized void countOutageCall() {
    outageCalls++;
  }

  public synchronized int maxRecordsPerCall() {
    return maxRecordsPerCall;
  }

  /** Largest sum of decoded Data bytes of one PutRecordBatch request received. */
  public synchronized long maxBytesPerCall() {
    return maxBytesPerCall;
  }

  // ---- protocol ----

  private Future<HttpServer> listen(int wantedPort) {
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(wantedPort)
            .setHandle100ContinueAutomatically(true))
        .requestHandler(this::handle)
        .listen()
        .onSuccess(listening -> {
          server = listening;
          port = listening.actualPort();
        });
  }

  private void handle(HttpServerRequest request) {
    if (outage == Outage.CLOSE_CONNECTIONS) {
      request.connection().close();
      return;
    }
    request.body().onSuccess(body -> {
      String target = String.valueOf(request.getHeader("X-Amz-Target"));
      JsonObject json = body.length() == 0 ? new JsonObject() : new JsonObject(body);
      String stream = json.getString("DeliveryStreamName");
      if (outage == Outage.UNAVAILABLE) {
        countOutageCall();
        log(new Call(0, operation(target), stream, List.of(), List.of(), "ServiceUnavailableException", false));
        error(request, 503, "ServiceUnavailableException", "Service unavailable (injected outage)");
      } else if (target.equals(PUT_RECORD_BATCH)) {
        putRecordBatch(request, stream, json.getJsonArray("Records", new JsonArray()));
      } else if (target.equals(DESCRIBE)) {
        describe(request, stream);
      } else {
        error(request, 400, "UnknownOperationException", "unknown target " + target);
      }
    });
  }

  private void putRecordBatch(HttpServerRequest request, String stream, JsonArray entries) {
    List<String> data = new ArrayList<>(entries.size());
    boolean recordTooBig = false;
    long bytes = 0;
    for (int i = 0; i < entries.size(); i++) {
      byte[] decoded = Base64.getDecoder().decode(entries.getJsonObject(i).getString("Data"));
      recordTooBig |= decoded.length > MAX_RECORD_BYTES;
      bytes += decoded.length;
      data.add(new String(decoded, StandardCharsets.UTF_8));
    }
    String operation = operation(PUT_RECORD_BATCH);
    String errorType;
    int status = 400;
    String message;
    boolean loseAnswer = false;
    List<Boolean> stored = new ArrayList<>(data.size());
    synchronized (this) {
      maxRecordsPerCall = Math.max(maxRecordsPerCall, data.size());
      maxBytesPerCall = Math.max(maxBytesPerCall, bytes);
      if (!streams.contains(stream)) {
        errorType = "ResourceNotFoundException";
        message = "Firehose " + stream + " under account 000000000000 not found.";
      } else if (forcedErrors > 0) {
        forcedErrors--;
        errorType = forcedErrorType;
        status = forcedStatus;
        message = "injected " + forcedErrorType;
      } else if (data.isEmpty() || data.size() > MAX_RECORDS || recordTooBig || bytes > MAX_CALL_BYTES) {
        errorType = "InvalidArgumentException";
        message = "Records exceed the limits: " + data.size() + " records, " + bytes + " bytes";
      } else if (random.nextDouble() < throttleShare) {
        errorType = "ServiceUnavailableException";
        message = "Slow down.";
      } else {
        errorType = null;
        message = null;
        for (String record : data) {
          boolean accepted = random.nextDouble() >= recordFailureShare;
          stored.add(accepted);
          if (accepted) {
            records.add(record);
          }
        }
        if (loseNextAnswers > 0) {
          loseNextAnswers--;
          loseAnswer = true;
        } else {
          loseAnswer = random.nextDouble() < loseAnswerShare;
        }
      }
      calls.add(new Call(calls.size() + 1, operation, stream, List.copyOf(data),
          errorType == null ? List.copyOf(stored) : data.stream().map(r -> false).toList(), errorType, loseAnswer));
    }
    if (errorType != null) {
      error(request, status, errorType, message);
      return;
    }
    if (loseAnswer) {
      later(() -> request.connection().close());
      return;
    }
    JsonArray answers = new JsonArray();
    int failed = 0;
    for (boolean accepted : stored) {
      if (accepted) {
        answers.add(new JsonObject().put("RecordId", UUID.randomUUID().toString().replace("-", "")));
      } else {
        failed++;
        answers.add(new JsonObject().put("ErrorCode", "ServiceUnavailableException")
            .put("ErrorMessage", "Slow down (injected record failure)."));
      }
    }
    answer(request, 200, new JsonObject().put("FailedPutCount", failed).put("Encrypted", false)
        .put("RequestResponses", answers));
  }

  private void describe(HttpServerRequest request, String stream) {
    if (denyDescribe) {
      log(new Call(0, operation(DESCRIBE), stream, List.of(), List.of(), "AccessDeniedException", false));
      error(request, 400, "AccessDeniedException", "User: arn:aws:iam::000000000000:user/test is not authorized"
          + " to perform: firehose:DescribeDeliveryStream");
      return;
    }
    boolean known = streams.contains(stream);
    log(new Call(0, operation(DESCRIBE), stream, List.of(), List.of(), known ? null : "ResourceNotFoundException",
        false));
    if (!known) {
      error(request, 400, "ResourceNotFoundException", "Firehose " + stream + " under account 000000000000 not found.");
      return;
    }
    JsonObject description = new JsonObject()
        .put("DeliveryStreamName", stream)
        .put("DeliveryStreamARN", "arn:aws:firehose:us-east-1:000000000000:deliverystream/" + stream)
        .put("DeliveryStreamStatus", streamStatus)
        .put("DeliveryStreamType", "DirectPut")
        .put("VersionId", "1")
        .put("CreateTimestamp", 1.7e9)
        .put("Destinations", new JsonArray().add(destinationDescription(destination)))
        .put("HasMoreDestinations", false);
    answer(request, 200, new JsonObject().put("DeliveryStreamDescription", description));
  }

  /** A plausible description of each kind, as the AWS JSON protocol spells its members. */
  private static JsonObject destinationDescription(String kind) {
    JsonObject described = switch (kind) {
      case "ExtendedS3" -> new JsonObject().put("ExtendedS3DestinationDescription", new JsonObject()
          .put("RoleARN", "arn:aws:iam::000000000000:role/firehose").put("BucketARN", "arn:aws:s3:::game-events")
          .put("CompressionFormat", "UNCOMPRESSED")
          .put("BufferingHints", new JsonObject().put("SizeInMBs", 64).put("IntervalInSeconds", 60)));
      case "Snowflake" -> new JsonObject().put("SnowflakeDestinationDescription", new JsonObject()
          .put("AccountUrl", "https://example.snowflakecomputing.com").put("Database", "game").put("Schema", "raw")
          .put("Table", "game_events").put("DataLoadingOption", "JSON_MAPPING"));
      case "AmazonOpenSearchService" -> new JsonObject().put("AmazonopensearchserviceDestinationDescription",
          new JsonObject().put("IndexName", "game-events"));
      case "HttpEndpoint" -> new JsonObject().put("HttpEndpointDestinationDescription", new JsonObject()
          .put("EndpointConfiguration", new JsonObject().put("Url", "https://collector.example.com")));
      default -> throw new IllegalArgumentException("no description for destination " + kind);
    };
    return described.put("DestinationId", "destinationId-000000000001");
  }

  private synchronized void log(Call call) {
    calls.add(new Call(calls.size() + 1, call.operation(), call.streamName(), call.records(), call.stored(),
        call.error(), call.answerLost()));
  }

  /** Whole-call error as the AWS JSON protocol sends it: the SDK reads the type from header or body. */
  private void error(HttpServerRequest request, int status, String type, String message) {
    request.response().putHeader("x-amzn-ErrorType", type);
    answer(request, status, new JsonObject().put("__type", type).put("message", message));
  }

  private void answer(HttpServerRequest request, int status, JsonObject body) {
    later(() -> request.response()
        .setStatusCode(status)
        .putHeader("Content-Type", JSON_1_1)
        .putHeader("x-amzn-RequestId", UUID.randomUUID().toString())
        .end(Buffer.buffer(body.encode())));
  }

  private void later(Runnable action) {
    long delay = latencyMs;
    if (delay <= 0) {
      action.run();
    } else {
      vertx.setTimer(delay, id -> action.run());
    }
  }

  private static String operation(String target) {
    return target.substring(target.indexOf('.') + 1);
  }
}
