package io.gameevents.delivery.firehose;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Sorts a failed Firehose call into what the sink does next. The SDK's own retries are off (see
 * {@link FirehoseClients}), so this is the only place that decides whether a call is repeated.
 */
final class FirehoseErrors {

  enum Kind {
    /** Transient: 5xx, refused or dropped connections. Retry the records with backoff. */
    RETRY,
    /** No answer within the call's timeout: Firehose may have stored the records. Retry. */
    TIMED_OUT,
    /** Firehose asked us to slow down. Retry with backoff, counted separately. */
    THROTTLED,
    /** Retrying cannot help until an operator acts: stop writing, report not ready. */
    FATAL,
    /** This request was refused (unexpected 4xx) but the stream is fine: give up on this write only. */
    GIVE_UP
  }

  /**
   * @param code   the AWS error code (or a short name for client-side errors); safe to log
   * @param detail what happened and what to check, for the log and /ready; never holds credentials
   */
  record Failure(Kind kind, String code, String detail) {
  }

  static final String RESOURCE_NOT_FOUND = "ResourceNotFoundException";

  private static final Set<String> THROTTLING = Set.of("ServiceUnavailableException", "LimitExceededException",
      "ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded");

  private static final Set<String> TRANSIENT = Set.of("InternalFailure", "InternalServerError",
      "InternalServiceError", "ServiceUnavailable", "RequestTimeout", "RequestTimeoutException");

  private static final Set<String> AUTH = Set.of("AccessDeniedException", "AccessDenied",
      "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignature",
      "IncompleteSignatureException", "MissingAuthenticationToken", "MissingAuthenticationTokenException",
      "InvalidClientTokenId", "ExpiredTokenException", "ExpiredToken", "NotAuthorized", "SignatureDoesNotMatch",
      "AuthFailure");

  private static final String AUTH_HINT = "check the AWS credentials in use (environment, profile or instance role)"
      + " and that their IAM policy allows firehose:PutRecordBatch and firehose:DescribeDeliveryStream on the stream ARN";

  private FirehoseErrors() {
  }

  static Failure classify(Throwable failure) {
    Throwable error = unwrap(failure);
    if (error instanceof AwsServiceException service) {
      return classifyService(service);
    }
    if (error instanceof ApiCallTimeoutException || error instanceof ApiCallAttemptTimeoutException) {
      return new Failure(Kind.TIMED_OUT, error.getClass().getSimpleName(), "Firehose did not answer in time: "
          + oneLine(error));
    }
    if (error instanceof SdkClientException client) {
      if (String.valueOf(client.getMessage()).toLowerCase(Locale.ROOT).contains("unable to load credentials")) {
        return new Failure(Kind.FATAL, "NoCredentials", "no AWS credentials found: set AWS_ACCESS_KEY_ID and"
            + " AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or attach an instance/task role");
      }
      // timeouts (ApiCallTimeoutException), connection refused/reset, DNS, closed channels
      return new Failure(Kind.RETRY, client.getClass().getSimpleName(), "cannot reach Firehose: " + oneLine(client));
    }
    return new Failure(Kind.GIVE_UP, error.getClass().getSimpleName(), oneLine(error));
  }

  private static Failure classifyService(AwsServiceException e) {
    int status = e.statusCode();
    String code = e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
        ? e.awsErrorDetails().errorCode() : "HTTP " + status;
    String serviceMessage = e.awsErrorDetails() != null ? e.awsErrorDetails().errorMessage() : null;
    if (AUTH.contains(code) || status == 401 || status == 403) {
      // the service message of signature errors can echo the string-to-sign: not logged
      return new Failure(Kind.FATAL, code, "credentials rejected (" + code + "): " + AUTH_HINT);
    }
    switch (code) {
      case RESOURCE_NOT_FOUND:
        return new Failure(Kind.FATAL, code, "delivery stream not found (" + code + "): check"
            + " delivery.firehose.stream_name and delivery.firehose.region, and that the stream exists in this account");
      case "InvalidArgumentException":
        return new Failure(Kind.FATAL, code, "Firehose rejected the request (" + code + ": " + shorten(serviceMessage)
            + "): check the stream is a Direct PUT stream and its configuration");
      case "InvalidSourceException":
        return new Failure(Kind.FATAL, code, "the stream does not accept direct puts (" + code
            + "): use a Direct PUT stream");
      case "InvalidKMSResourceException":
        return new Failure(Kind.FATAL, code, "the stream's encryption key is unusable (" + code + ": "
            + shorten(serviceMessage) + "): check the KMS key exists, is enabled and Firehose may use it");
      default:
        break;
    }
    if (THROTTLING.contains(code) || status == 429) {
      return new Failure(Kind.THROTTLED, code, "throttled (" + code + ")");
    }
    if (TRANSIENT.contains(code) || status >= 500) {
      return new Failure(Kind.RETRY, code, "Firehose error " + code + " (HTTP " + status + ")");
    }
    return new Failure(Kind.GIVE_UP, code, "Firehose refused the call: " + code + " (HTTP " + status + "): "
        + shorten(serviceMessage));
  }

  static Throwable unwrap(Throwable failure) {
    Throwable error = failure;
    while ((error instanceof CompletionException || error instanceof ExecutionException) && error.getCause() != null) {
      error = error.getCause();
    }
    return error;
  }

  static String oneLine(Throwable error) {
    return shorten(error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage());
  }

  private static String shorten(String text) {
    if (text == null) {
      return "no message";
    }
    String line = text.replaceAll("\\s+", " ").trim();
    return line.length() <= 240 ? line : line.substring(0, 240) + "...";
  }
}
