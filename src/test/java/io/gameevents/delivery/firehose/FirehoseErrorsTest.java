package io.gameevents.delivery.firehose;

import io.gameevents.delivery.firehose.FirehoseErrors.Failure;
import io.gameevents.delivery.firehose.FirehoseErrors.Kind;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.firehose.model.FirehoseException;
import software.amazon.awssdk.services.firehose.model.InvalidArgumentException;
import software.amazon.awssdk.services.firehose.model.InvalidKmsResourceException;
import software.amazon.awssdk.services.firehose.model.InvalidSourceException;
import software.amazon.awssdk.services.firehose.model.LimitExceededException;
import software.amazon.awssdk.services.firehose.model.ResourceNotFoundException;
import software.amazon.awssdk.services.firehose.model.ServiceUnavailableException;

import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

/** Exceptions built as the SDK builds them; {@link FirehoseSdkErrorsTest} checks the SDK really does. */
class FirehoseErrorsTest {

  @Test
  void firehoseTypesDecideWhateverTheStatus() {
    assertThat(kind(ServiceUnavailableException.builder().statusCode(500)
        .awsErrorDetails(details("ServiceUnavailableException", "Slow down.")).build())).isEqualTo(Kind.THROTTLED);
    assertThat(kind(ServiceUnavailableException.builder().statusCode(400).build())).isEqualTo(Kind.THROTTLED);
    assertThat(kind(LimitExceededException.builder().statusCode(400)
        .awsErrorDetails(details("LimitExceededException", "limit")).build())).isEqualTo(Kind.THROTTLED);
    assertThat(kind(InvalidArgumentException.builder().statusCode(400)
        .awsErrorDetails(details("InvalidArgumentException", "too big")).build())).isEqualTo(Kind.FATAL);
    assertThat(kind(InvalidSourceException.builder().statusCode(400).build())).isEqualTo(Kind.FATAL);
  }

  @Test
  void notFoundIsFatalAndRecognisedWithoutErrorDetails() {
    Failure failure = FirehoseErrors.classify(ResourceNotFoundException.builder().statusCode(400).build());

    assertThat(failure.kind()).isEqualTo(Kind.FATAL);
    assertThat(failure.code()).isEqualTo(FirehoseErrors.RESOURCE_NOT_FOUND);
    assertThat(failure.detail()).contains("delivery.firehose.stream_name");
  }

  @Test
  void kmsFailureNamesTheServiceCodeAndTheKey() {
    Failure failure = FirehoseErrors.classify(InvalidKmsResourceException.builder().statusCode(400)
        .awsErrorDetails(details("InvalidKMSResourceException", "key disabled")).build());

    assertThat(failure.kind()).isEqualTo(Kind.FATAL);
    assertThat(failure.code()).isEqualTo("InvalidKMSResourceException");
    assertThat(failure.detail()).contains("KMS key", "key disabled");
  }

  @Test
  void untypedErrorsFallBackToThrottlingCodesAndStatus() {
    assertThat(kind(untyped(400, "ThrottlingException", "Rate exceeded"))).isEqualTo(Kind.THROTTLED);
    assertThat(kind(untyped(429, null, null))).isEqualTo(Kind.THROTTLED);
    assertThat(kind(firehoseUntyped(500, "InternalFailure", "oops"))).isEqualTo(Kind.RETRY);
    assertThat(kind(untyped(502, null, null))).isEqualTo(Kind.RETRY);
    assertThat(kind(untyped(400, "RequestTimeoutException", "slow body"))).isEqualTo(Kind.RETRY);
    assertThat(kind(untyped(413, "RequestEntityTooLarge", "too big"))).isEqualTo(Kind.GIVE_UP);
  }

  @Test
  void authFailuresAreFatalWhetherAnswered400Or403() {
    assertThat(kind(firehoseUntyped(400, "AccessDeniedException", "not authorized"))).isEqualTo(Kind.FATAL);
    assertThat(kind(firehoseUntyped(400, "UnrecognizedClientException", "bad token"))).isEqualTo(Kind.FATAL);
    assertThat(kind(firehoseUntyped(400, "ExpiredTokenException", "expired"))).isEqualTo(Kind.FATAL);
    assertThat(kind(untyped(403, "SomethingNew", "denied"))).isEqualTo(Kind.FATAL);
  }

  @Test
  void clockErrorsAreFatalAndPointAtTheClock() {
    Failure skew = FirehoseErrors.classify(firehoseUntyped(400, "RequestTimeTooSkewed", "too skewed"));

    assertThat(skew.kind()).isEqualTo(Kind.FATAL);
    assertThat(skew.detail()).contains("RequestTimeTooSkewed", "clock");
  }

  @Test
  void clientSideFailuresAreRetriedExceptMissingCredentialsAndTimeoutsAreTold() {
    assertThat(kind(new CompletionException(ApiCallTimeoutException.create(5_000)))).isEqualTo(Kind.TIMED_OUT);
    assertThat(kind(ApiCallAttemptTimeoutException.create(5_000))).isEqualTo(Kind.TIMED_OUT);
    assertThat(kind(SdkClientException.create("Unable to execute HTTP request: Connection refused")))
        .isEqualTo(Kind.RETRY);
    Failure noCredentials = FirehoseErrors.classify(
        SdkClientException.create("Unable to load credentials from any of the providers in the chain"));
    assertThat(noCredentials.kind()).isEqualTo(Kind.FATAL);
    assertThat(noCredentials.detail()).contains("AWS_ACCESS_KEY_ID", "AWS_PROFILE", "role");
  }

  @Test
  void signatureErrorMessagesAreNotRepeated() {
    Failure failure = FirehoseErrors.classify(firehoseUntyped(400, "InvalidSignatureException",
        "The Canonical String for this request should have been 'POST / ... Credential=AKIDSECRETISH'"));

    assertThat(failure.kind()).isEqualTo(Kind.FATAL);
    assertThat(failure.detail()).contains("InvalidSignatureException").doesNotContain("AKIDSECRETISH");
  }

  private static Kind kind(Throwable error) {
    return FirehoseErrors.classify(error).kind();
  }

  private static AwsErrorDetails details(String code, String message) {
    return AwsErrorDetails.builder().errorCode(code).errorMessage(message).build();
  }

  /** What the SDK throws for an error type the Firehose model does not declare (e.g. AccessDenied). */
  private static AwsServiceException firehoseUntyped(int status, String code, String message) {
    return FirehoseException.builder().statusCode(status).awsErrorDetails(details(code, message)).build();
  }

  private static AwsServiceException untyped(int status, String code, String message) {
    return AwsServiceException.builder().statusCode(status).awsErrorDetails(details(code, message)).build();
  }
}
