package io.gameevents.http.validation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Drops {@code context.ip} from an event's raw bytes before they become {@code raw_payload}: an IP address is
 * personal data, any client can write any value there, and the service does not geolocate, so it is never
 * stored. The member is cut out of the bytes as received (rather than the tree re-serialized), so everything
 * else in raw_payload stays byte for byte what the client sent, numbers and escapes included.
 */
final class ClientIp {

  static final String CONTEXT = "context";
  static final String IP = "ip";

  private static final JsonFactory FACTORY = new JsonFactory();

  private ClientIp() {
  }

  /** {@code raw} itself when the event has no {@code context.ip} (the usual case: no copy), else a shorter copy. */
  static byte[] stripped(JsonNode event, byte[] raw) {
    JsonNode context = event.get(CONTEXT);
    if (context == null || !context.isObject() || !context.has(IP)) {
      return raw;
    }
    try (JsonParser parser = FACTORY.createParser(raw)) {
      parser.nextToken(); // the event's START_OBJECT
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        boolean isContext = CONTEXT.equals(parser.currentName());
        if (parser.nextToken() == JsonToken.START_OBJECT && isContext) {
          return withoutIpMember(parser, raw);
        }
        parser.skipChildren();
      }
      throw new IllegalStateException("the parsed event has context.ip but its bytes do not");
    } catch (IOException e) {
      throw new UncheckedIOException("bytes that parsed before no longer parse", e);
    }
  }

  /**
   * The parser is at the context's START_OBJECT. A member that is followed by another is cut up to the next
   * member's name (its comma and spacing go with it); the last member is cut from the comma before it up to
   * the closing brace, so the object stays valid JSON either way.
   */
  private static byte[] withoutIpMember(JsonParser parser, byte[] raw) throws IOException {
    long ipStart = -1;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      long nameStart = parser.currentTokenLocation().getByteOffset();
      if (ipStart >= 0) {
        return cut(raw, ipStart, nameStart);
      }
      if (IP.equals(parser.currentName())) {
        ipStart = nameStart;
      }
      parser.nextToken();
      parser.skipChildren();
    }
    long closingBrace = parser.currentTokenLocation().getByteOffset();
    return cut(raw, commaBefore(raw, ipStart), closingBrace);
  }

  /** Where the comma before the member at {@code memberStart} is; the member itself when it is the first. */
  private static long commaBefore(byte[] raw, long memberStart) {
    for (int i = (int) memberStart - 1; i >= 0; i--) {
      if (raw[i] == ',') {
        return i;
      }
      if (raw[i] == '{') {
        return memberStart;
      }
    }
    return memberStart;
  }

  private static byte[] cut(byte[] raw, long from, long to) {
    byte[] out = new byte[raw.length - (int) (to - from)];
    System.arraycopy(raw, 0, out, 0, (int) from);
    System.arraycopy(raw, (int) to, out, (int) from, raw.length - (int) to);
    return out;
  }
}
