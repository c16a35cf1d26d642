package io.gameevents.pipeline;

/**
 * A clustered message whose binary form breaks the wire format or the limits every member agreed on
 * ({@link WireLimits}): thrown by the codecs before anything is allocated for it. Anyone who reaches the
 * event bus port can send bytes, so this is an expected refusal, not a bug.
 */
public final class WireFormatException extends RuntimeException {

  public WireFormatException(String message) {
    super(message, null, false, false); // no stack trace: a flood of forged messages must stay cheap
  }
}
