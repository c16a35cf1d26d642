package io.gameevents.bench;

import java.nio.ByteBuffer;

/**
 * An incremental HTTP/1.1 response parser for the open-loop generator: just enough to know where a
 * response ends and what its status is, at a few hundred nanoseconds per response. Bytes arrive in
 * whatever pieces the socket gives ({@link #feed}, which stops at the end of each response); a response
 * split over reads, or several responses in one read, are both fine. The body ends by Content-Length, by chunked encoding, or (neither given) at
 * the end of the stream ({@link #endOfStream}); 1xx, 204 and 304 have none. Headers other than
 * Content-Length, Transfer-Encoding and Connection are skipped, and bodies are never kept.
 */
final class HttpResponseParser {

  /** The bytes are not an HTTP response: the connection cannot be trusted for another one. */
  static final class MalformedResponse extends Exception {
    MalformedResponse(String message) {
      super(message);
    }
  }

  private enum State { STATUS_LINE, HEADERS, FIXED_BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, BODY_TO_EOF }

  private static final int MAX_LINE = 8192;

  private final byte[] line = new byte[MAX_LINE];
  private int lineLength;
  private State state = State.STATUS_LINE;
  private int status;
  private boolean close;
  private boolean chunked;
  private boolean complete;
  private long contentLength;
  private long bodyLeft;

  /**
   * Consumes bytes until a response is complete or none are left.
   *
   * @return whether a response is complete ({@link #status}, {@link #closes}); the bytes after it stay in {@code bytes}
   */
  boolean feed(ByteBuffer bytes) throws MalformedResponse {
    complete = false;
    while (bytes.hasRemaining() && !complete) {
      switch (state) {
        case FIXED_BODY, CHUNK_DATA -> skipBody(bytes);
        case BODY_TO_EOF -> bytes.position(bytes.limit());
        default -> {
          if (readLine(bytes)) {
            line(lineLength);
            lineLength = 0;
          }
        }
      }
    }
    return complete;
  }

  /**
   * The server closed the connection.
   *
   * @return whether that completed a response (one whose body runs to the end of the stream)
   */
  boolean endOfStream() {
    if (state == State.BODY_TO_EOF) {
      finish();
      return true;
    }
    return false;
  }

  /** The status of the response {@link #feed} just completed. */
  int status() {
    return status;
  }

  /** The server closes the connection after the response {@link #feed} just completed (Connection: close, HTTP/1.0, or a body to the end of the stream). */
  boolean closes() {
    return close;
  }

  /** Forgets any partial response: for a new connection. */
  void reset() {
    state = State.STATUS_LINE;
    lineLength = 0;
    complete = false;
  }

  /** No response under way: nothing read since the last complete one. */
  boolean idle() {
    return state == State.STATUS_LINE && lineLength == 0;
  }

  private boolean readLine(ByteBuffer bytes) throws MalformedResponse {
    while (bytes.hasRemaining()) {
      byte b = bytes.get();
      if (b == '\n') {
        if (lineLength > 0 && line[lineLength - 1] == '\r') {
          lineLength--;
        }
        return true;
      }
      if (lineLength == MAX_LINE) {
        throw new MalformedResponse("a response line over " + MAX_LINE + " bytes");
      }
      line[lineLength++] = b;
    }
    return false;
  }

  private void skipBody(ByteBuffer bytes) {
    int skip = (int) Math.min(bodyLeft, bytes.remaining());
    bytes.position(bytes.position() + skip);
    bodyLeft -= skip;
    if (bodyLeft == 0) {
      if (state == State.CHUNK_DATA) {
        state = State.CHUNK_END;
      } else {
        finish();
      }
    }
  }

  private void line(int length) throws MalformedResponse {
    switch (state) {
      case STATUS_LINE -> statusLine(length);
      case HEADERS -> {
        if (length == 0) {
          headersDone();
        } else {
          header(length);
        }
      }
      case CHUNK_SIZE -> chunkSize(length);
      case CHUNK_END -> {
        if (length != 0) {
          throw new MalformedResponse("chunk data longer than its size");
        }
        state = State.CHUNK_SIZE;
      }
      case TRAILERS -> {
        if (length == 0) {
          finish();
        }
      }
      default -> throw new IllegalStateException(state.name());
    }
  }

  // "HTTP/1.1 200 OK": the version decides keep-alive's default, then three digits
  private void statusLine(int length) throws MalformedResponse {
    if (length < 12 || !startsWith("HTTP/1.") || line[8] != ' ') {
      throw new MalformedResponse("not an HTTP/1.x status line: " + text(0, Math.min(length, 40)));
    }
    status = 0;
    for (int i = 9; i < 12; i++) {
      int digit = line[i] - '0';
      if (digit < 0 || digit > 9) {
        throw new MalformedResponse("no three-digit status: " + text(0, Math.min(length, 40)));
      }
      status = status * 10 + digit;
    }
    close = line[7] == '0';
    chunked = false;
    contentLength = -1;
    state = State.HEADERS;
  }

  private void header(int length) throws MalformedResponse {
    int colon = 0;
    while (colon < length && line[colon] != ':') {
      colon++;
    }
    if (colon == length) {
      throw new MalformedResponse("a header line without a colon: " + text(0, Math.min(length, 40)));
    }
    int value = colon + 1;
    while (value < length && (line[value] == ' ' || line[value] == '\t')) {
      value++;
    }
    int end = length;
    while (end > value && (line[end - 1] == ' ' || line[end - 1] == '\t')) {
      end--;
    }
    if (nameIs("content-length", colon)) {
      contentLength = decimal(value, end);
    } else if (nameIs("transfer-encoding", colon)) {
      chunked = containsIgnoreCase(value, end, "chunked");
    } else if (nameIs("connection", colon)) {
      if (containsIgnoreCase(value, end, "close")) {
        close = true;
      } else if (containsIgnoreCase(value, end, "keep-alive")) {
        close = false;
      }
    }
  }

  private void headersDone() {
    if (status / 100 == 1 || status == 204 || status == 304) {
      if (status / 100 == 1) {
        state = State.STATUS_LINE; // an interim answer: the real one follows
      } else {
        finish();
      }
    } else if (chunked) {
      state = State.CHUNK_SIZE;
    } else if (contentLength >= 0) {
      bodyLeft = contentLength;
      state = State.FIXED_BODY;
      if (bodyLeft == 0) {
        finish();
      }
    } else {
      close = true;
      state = State.BODY_TO_EOF;
    }
  }

  private void chunkSize(int length) throws MalformedResponse {
    long size = 0;
    int digits = 0;
    for (int i = 0; i < length && line[i] != ';' && line[i] != ' '; i++, digits++) {
      int digit = Character.digit(line[i], 16);
      if (digit < 0 || digits == 15) {
        throw new MalformedResponse("a bad chunk size: " + text(0, Math.min(length, 40)));
      }
      size = size * 16 + digit;
    }
    if (digits == 0) {
      throw new MalformedResponse("an empty chunk size line");
    }
    if (size == 0) {
      state = State.TRAILERS;
    } else {
      bodyLeft = size;
      state = State.CHUNK_DATA;
    }
  }

  private void finish() {
    state = State.STATUS_LINE;
    complete = true;
  }

  private long decimal(int from, int to) throws MalformedResponse {
    if (from == to || to - from > 18) {
      throw new MalformedResponse("a bad Content-Length: " + text(from, to));
    }
    long value = 0;
    for (int i = from; i < to; i++) {
      int digit = line[i] - '0';
      if (digit < 0 || digit > 9) {
        throw new MalformedResponse("a bad Content-Length: " + text(from, to));
      }
      value = value * 10 + digit;
    }
    return value;
  }

  private boolean startsWith(String prefix) {
    for (int i = 0; i < prefix.length(); i++) {
      if (line[i] != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private boolean nameIs(String lowerCaseName, int nameLength) {
    if (nameLength != lowerCaseName.length()) {
      return false;
    }
    for (int i = 0; i < nameLength; i++) {
      if ((line[i] | 0x20) != lowerCaseName.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private boolean containsIgnoreCase(int from, int to, String lowerCaseWord) {
    outer:
    for (int start = from; start + lowerCaseWord.length() <= to; start++) {
      for (int i = 0; i < lowerCaseWord.length(); i++) {
        if ((line[start + i] | 0x20) != lowerCaseWord.charAt(i)) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private String text(int from, int to) {
    return new String(line, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1);
  }
}
