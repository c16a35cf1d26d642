package io.gameevents.http;

import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Every request gets an id, answered in {@code X-Request-Id} and in every problem body, for logs
 * and for a game developer to quote. A client's own id is kept when it is a sane token (1 to 128
 * visible ASCII characters, not taken from the credential); anything else is replaced, so no header can
 * smuggle text (or a secret) into a log.
 */
final class RequestIds {

  static final String HEADER = "X-Request-Id";
  private static final String KEY = "game-events.request-id";
  private static final int MAX_LENGTH = 128;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RequestIds() {
  }

  /** The first handler of every route. */
  static void assign(RoutingContext ctx) {
    String offered = ctx.request().getHeader(HEADER);
    String id = sane(offered) && !partOfCredential(offered, ctx.request().getHeader("Authorization"))
        ? offered : newId();
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }

  static String of(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id != null ? id : "";
  }

  static boolean sane(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  /**
   * An id that is the request's credential, or 8 characters or more of it, is replaced: the id goes into every
   * log line, and a client that sends its API key as its request id must not put the key in our logs.
   */
  static boolean partOfCredential(String id, String authorization) {
    return authorization != null && id.length() >= 8 && authorization.contains(id);
  }

  /** 128 random bits in hex: unique enough to find one request among billions, cheap to make. */
  static String newId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] text = new char[32];
    long high = random.nextLong();
    long low = random.nextLong();
    for (int i = 0; i < 16; i++) {
      text[i] = HEX[(int) (high >>> (60 - 4 * i)) & 0xf];
      text[16 + i] = HEX[(int) (low >>> (60 - 4 * i)) & 0xf];
    }
    return new String(text);
  }
}
