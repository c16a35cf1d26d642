package io.gameevents.delivery.firehose;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.firehose.model.InvalidArgumentException;
import software.amazon.awssdk.services.firehose.model.InvalidKmsResourceException;
import software.amazon.awssdk.services.firehose.model.InvalidSourceException;
import software.amazon.awssdk.services.firehose.model.LimitExceededException;
import software.amazon.awssdk.services.firehose.model.ResourceNotFoundException;
import software.amazon.awssdk.services.firehose.model.ServiceUnavailableException;

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

  /**
   * Auth failures have no typed exception in the Firehose SDK, and AWS JSON services answer most of
   * them with HTTP 400, so status 401/403 alone misses them: these are the codes IAM and the request
   * signer's checks use. isClockSkewException() adds the time errors (RequestTimeTooSkewed, ...); it
   * counts a bad signature only when the answer's Date shows a skew, so the signature codes are here.
   */
  private static final Set<String> AUTH = Set.of("AccessDeniedException", "AccessDenied",
      "UnrecognizedClientException", "InvalidSignatureException", "SignatureDoesNotMatch", "AuthFailure",
      "IncompleteSignature", "IncompleteSignatureException",
      "MissingAuthenticationToken", "MissingAuthenticationTokenException", "InvalidClientTokenId",
      "ExpiredTokenException", "ExpiredToken", "NotAuthorized");

  /** A request the service gave up reading (a slow upload): transient, although answered 400. */
  private static final Set<String> REQUEST_TIMEOUT = Set.of("RequestTimeout", "RequestTimeoutException");

  private static final String AUTH_HINT = "check the AWS credentials in use (environment, profile or instance role)"
      + " and that their IAM policy allows firehose:PutRecordBatch and firehose:DescribeDeliveryStream on the stream ARN";

  private FirehoseErrors() {
  }

  static Failure classify(Throwable failure) {
    Throwable error = unwrap(failure);
    if (error instanceof AwsServiceException service) {
      return classifyService(service);
    }
    // both extend SdkClientException: test them first
    if (error instanceof ApiCallTimeoutException || error instanceof ApiCallAttemptTimeoutException) {
      return new Failure(Kind.TIMED_OUT, error.getClass().getSimpleName(), "Firehose did not answer in time: "
          + oneLine(error));
    }
    if (error instanceof SdkClientException client) {
      // the SDK has no type for an empty credentials chain: its message is the only sign
      if (String.valueOf(client.getMessage()).toLowerCase(Locale.ROOT).contains("unable to load credentials")) {
        return new Failure(Kind.FATAL, "NoCredentials", "no AWS credentials found: set AWS_ACCESS_KEY_ID and"
            + " AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or attach an instance/task role");
      }
      // connection refused/reset, DNS, closed channels
      return new Failure(Kind.RETRY, client.getClass().getSimpleName(), "cannot reach Firehose: " + oneLine(client));
    }
    return new Failure(Kind.GIVE_UP, error.getClass().getSimpleName(), oneLine(error));
  }

  /** The SDK maps each error type of the Firehose model to its class, whatever HTTP status came with it. */
  private static Failure classifyService(AwsServiceException e) {
    int status = e.statusCode();
    String code = code(e);
    String serviceMessage = e.awsErrorDetails() != null ? e.awsErrorDetails().errorMessage() : null;
    if (e instanceof ResourceNotFoundException) {
      return new Failure(Kind.FATAL, RESOURCE_NOT_FOUND, "delivery stream not found (" + code + "): check"
          + " delivery.firehose.stream_name and delivery.firehose.region, and that the stream exists in this account");
    }
    if (e instanceof InvalidArgumentException) {
      return new Failure(Kind.FATAL, code, "Firehose rejected the request (" + code + ": " + shorten(serviceMessage)
          + "): check the stream is a Direct PUT stream and its configuration");
    }
    if (e instanceof InvalidSourceException) {
      return new Failure(Kind.FATAL, code, "the stream does not accept direct puts (" + code
          + "): use a Direct PUT stream");
    }
    if (e instanceof InvalidKmsResourceException) {
      return new Failure(Kind.FATAL, code, "the stream's encryption key is unusable (" + code + ": "
          + shorten(serviceMessage) + "): check the KMS key exists, is enabled and Firehose may use it");
    }
    // ServiceUnavailableException is Firehose's "slow down" (its model gives it HTTP 500); LimitExceeded too
    if (e instanceof ServiceUnavailableException || e instanceof LimitExceededException
        || e.isThrottlingException()) {
      return new Failure(Kind.THROTTLED, code, "throttled (" + code + ")");
    }
    // the service message of signature errors can echo the string-to-sign: never in the detail
    if (e.isClockSkewException()) {
      return new Failure(Kind.FATAL, code, "credentials rejected (" + code + "): this host's clock is off (check NTP),"
          + " or " + AUTH_HINT);
    }
    if (AUTH.contains(code) || status == 401 || status == 403) {
      return new Failure(Kind.FATAL, code, "credentials rejected (" + code + "): " + AUTH_HINT);
    }
    if (status >= 500 || REQUEST_TIMEOUT.contains(code)) {
      return new Failure(Kind.RETRY, code, "Firehose error " + code + " (HTTP " + status + ")");
    }
    return new Failure(Kind.GIVE_UP, code, "Firehose refused the call: " + code + " (HTTP " + status + "): "
        + shorten(serviceMessage));
  }

  /** The AWS error code, safe to log; a typed exception built without details still names its type. */
  private static String code(AwsServiceException e) {
    if (e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null) {
      return e.awsErrorDetails().errorCode();
    }
    return e.getClass() == AwsServiceException.class ? "HTTP " + e.statusCode() : e.getClass().getSimpleName();
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
