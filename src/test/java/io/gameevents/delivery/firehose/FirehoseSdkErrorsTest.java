package io.gameevents.delivery.firehose;

import io.gameevents.delivery.firehose.FirehoseErrors.Kind;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.model.FirehoseException;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchRequest;
import software.amazon.awssdk.services.firehose.model.Record;
import software.amazon.awssdk.services.firehose.model.ResourceNotFoundException;
import software.amazon.awssdk.services.firehose.model.ServiceUnavailableException;

import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The real SDK client reading the double's error answers: {@link FirehoseErrors} relies on the SDK
 * turning each Firehose error type into its exception class, whatever the HTTP status.
 */
@ExtendWith(VertxExtension.class)
class FirehoseSdkErrorsTest {

  private static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDSDKERRORS", "secret"));

  private FirehoseDouble firehose;
  private FirehoseClients.Handle sdk;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    firehose = FirehoseDouble.start(vertx).await(30, TimeUnit.SECONDS);
    sdk = FirehoseClients.create(new FirehoseSinkConfig(FirehoseDouble.STREAM, "us-east-1", firehose.endpoint(), 1,
        2, 10_000, 20_000, 5, 100, 60_000), CREDENTIALS);
  }

  @AfterEach
  void tearDown() throws Exception {
    sdk.close();
    firehose.close().await(30, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @CsvSource({
      "400, ServiceUnavailableException, ServiceUnavailableException, THROTTLED",
      "400, LimitExceededException, LimitExceededException, THROTTLED",
      "400, InvalidArgumentException, InvalidArgumentException, FATAL",
      "400, InvalidKMSResourceException, InvalidKmsResourceException, FATAL",
      "400, InvalidSourceException, InvalidSourceException, FATAL",
      "400, AccessDeniedException, FirehoseException, FATAL",
      "500, InternalFailure, FirehoseException, RETRY"})
  void eachErrorTypeArrivesAsItsClass(int status, String errorType, String exceptionClass, Kind kind) {
    firehose.failNextCalls(1, status, errorType);

    Throwable error = put(FirehoseDouble.STREAM);

    assertThat(error).isInstanceOf(FirehoseException.class);
    assertThat(error.getClass().getSimpleName()).isEqualTo(exceptionClass);
    assertThat(((FirehoseException) error).awsErrorDetails().errorCode()).isEqualTo(errorType);
    assertThat(FirehoseErrors.classify(error).kind()).isEqualTo(kind);
  }

  @Test
  void unknownStreamArrivesAsResourceNotFound() {
    Throwable error = put("no-such-stream");

    assertThat(error).isInstanceOf(ResourceNotFoundException.class);
    assertThat(FirehoseErrors.classify(error).code()).isEqualTo(FirehoseErrors.RESOURCE_NOT_FOUND);
  }

  @Test
  void outageAnswered503ArrivesAsServiceUnavailable() {
    firehose.outage(FirehoseDouble.Outage.UNAVAILABLE);

    Throwable error = put(FirehoseDouble.STREAM);

    assertThat(error).isInstanceOf(ServiceUnavailableException.class);
    assertThat(((ServiceUnavailableException) error).statusCode()).isEqualTo(503);
    assertThat(FirehoseErrors.classify(error).kind()).isEqualTo(Kind.THROTTLED);
  }

  private Throwable put(String stream) {
    PutRecordBatchRequest request = PutRecordBatchRequest.builder().deliveryStreamName(stream)
        .records(Record.builder().data(SdkBytes.fromUtf8String("{\"event_id\":\"e\"}\n")).build()).build();
    Throwable thrown = catchThrowable(() -> sdk.client().putRecordBatch(request).join());
    assertThat(thrown).isInstanceOf(CompletionException.class);
    return thrown.getCause();
  }
}
