package io.gameevents.delivery.firehose;

import io.gameevents.delivery.firehose.FirehoseErrors.Kind;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

class FirehoseErrorsTest {

  @Test
  void errorCodeDecidesBeforeStatus() {
    assertThat(kind(service(400, "ServiceUnavailableException", "Slow down."))).isEqualTo(Kind.THROTTLED);
    assertThat(kind(service(400, "LimitExceededException", "limit"))).isEqualTo(Kind.THROTTLED);
    assertThat(kind(service(429, null, null))).isEqualTo(Kind.THROTTLED);
    assertThat(kind(service(500, "InternalFailure", "oops"))).isEqualTo(Kind.RETRY);
    assertThat(kind(service(502, null, null))).isEqualTo(Kind.RETRY);
    assertThat(kind(service(400, "ResourceNotFoundException", "gone"))).isEqualTo(Kind.FATAL);
    assertThat(kind(service(400, "InvalidKMSResourceException", "key disabled"))).isEqualTo(Kind.FATAL);
    assertThat(kind(service(400, "UnrecognizedClientException", "bad token"))).isEqualTo(Kind.FATAL);
    assertThat(kind(service(403, "SomethingNew", "denied"))).isEqualTo(Kind.FATAL);
    assertThat(kind(service(413, "RequestEntityTooLarge", "too big"))).isEqualTo(Kind.GIVE_UP);
  }

  @Test
  void clientSideFailuresAreRetriedExceptMissingCredentialsAndTimeoutsAreTold() {
    assertThat(kind(new CompletionException(ApiCallTimeoutException.create(5_000)))).isEqualTo(Kind.TIMED_OUT);
    assertThat(kind(SdkClientException.create("Unable to execute HTTP request: Connection refused")))
        .isEqualTo(Kind.RETRY);
    FirehoseErrors.Failure noCredentials = FirehoseErrors.classify(
        SdkClientException.create("Unable to load credentials from any of the providers in the chain"));
    assertThat(noCredentials.kind()).isEqualTo(Kind.FATAL);
    assertThat(noCredentials.detail()).contains("AWS_ACCESS_KEY_ID", "AWS_PROFILE", "role");
  }

  @Test
  void signatureErrorMessagesAreNotRepeated() {
    FirehoseErrors.Failure failure = FirehoseErrors.classify(service(400, "InvalidSignatureException",
        "The Canonical String for this request should have been 'POST / ... Credential=AKIDSECRETISH'"));
    assertThat(failure.detail()).contains("InvalidSignatureException").doesNotContain("AKIDSECRETISH");
  }

  private static Kind kind(Throwable error) {
    return FirehoseErrors.classify(error).kind();
  }

  private static AwsServiceException service(int status, String code, String message) {
    return AwsServiceException.builder().statusCode(status)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
  }
}
