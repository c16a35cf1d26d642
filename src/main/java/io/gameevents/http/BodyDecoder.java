package io.gameevents.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.gameevents.http.problem.Reason;
import io.gameevents.util.Utf8;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a request body into events, keeping each event's exact bytes (stored as raw_payload).
 * Parsing is streaming with tight limits (nesting depth, number length), so no input can make
 * it use more than a small multiple of the body size, which is already capped.
 */
public final class BodyDecoder {

  /** One event: the parsed tree and its bytes exactly as received. */
  public record RawEvent(JsonNode node, byte[] raw) {
  }

  /** The input is not what the endpoint takes; {@link #problem} says why. */
  public static final class DecodeException extends Exception {
    private final transient Problem problem;

    DecodeException(Problem problem) {
      super(problem.json().getString("detail"), null, false, false);
      this.problem = problem;
    }

    public Problem problem() {
      return problem;
    }
  }

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).maxNumberLength(100).build())
      .build();
  /**
   * A key twice in one object is refused by the tree itself: building it puts every key into its object's map
   * anyway, so the check is that put's answer, not a second set of names per object kept by the parser
   * (STRICT_DUPLICATE_DETECTION, which every event of every batch paid for). The batch wrapper, read token by
   * token, checks its one field itself.
   */
  private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
  private static final String DUPLICATE_IN_TREE = " for `ObjectNode`";

  private final int maxEventBytes;
  private final int maxBatchEvents;

  public BodyDecoder(int maxEventBytes, int maxBatchEvents) {
    this.maxEventBytes = maxEventBytes;
    this.maxBatchEvents = maxBatchEvents;
  }

  /** The body of a single-event endpoint: one JSON object. */
  public RawEvent single(byte[] body) throws DecodeException {
    if (body.length > maxEventBytes) {
      throw new DecodeException(Problem.of(Reason.PAYLOAD_TOO_LARGE,
          "the event is " + body.length + " bytes; the limit is " + maxEventBytes + " bytes per event"));
    }
    requireUtf8(body);
    try (JsonParser parser = MAPPER.createParser(body)) {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw malformedRequest("the body must be one JSON object (an event)");
      }
      RawEvent event = readEvent(parser, body);
      if (parser.nextToken() != null) {
        throw malformedRequest("unexpected content after the event object");
      }
      return event;
    } catch (JsonProcessingException e) {
      throw malformed(e);
    } catch (IOException e) {
      throw malformedRequest("the body could not be read");
    }
  }

  /**
   * The body of /v1/batch: {@code {"events":[...]}}. Elements that are not objects, or are too
   * big, come back as an {@link Element} with a problem, so the rest of the batch still goes through.
   */
  public List<Element> batch(byte[] body) throws DecodeException {
    requireUtf8(body);
    try (JsonParser parser = MAPPER.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw malformedRequest("the body must be a JSON object: {\"events\": [ ... ]}");
      }
      List<Element> events = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        parser.nextToken();
        if (!"events".equals(field)) {
          throw malformedRequest(
              "unknown field \"" + field + "\" in the batch body; it takes only \"events\"");
        }
        if (events != null) {
          throw malformed("Duplicate field 'events'", parser.currentTokenLocation());
        }
        if (parser.currentToken() != JsonToken.START_ARRAY) {
          throw malformedRequest("\"events\" must be an array of event objects");
        }
        events = readElements(parser, body);
      }
      if (parser.nextToken() != null) {
        throw malformedRequest("unexpected content after the batch object");
      }
      if (events == null) {
        throw malformedRequest("the batch body needs an \"events\" array");
      }
      if (events.isEmpty()) {
        throw malformedRequest("\"events\" is empty; send at least one event");
      }
      return events;
    } catch (JsonProcessingException e) {
      throw malformed(e);
    } catch (IOException e) {
      throw malformedRequest("the body could not be read");
    }
  }

  /** One element of a batch: an event, or why it can't be one. */
  public record Element(RawEvent event, String problem) {
  }

  private List<Element> readElements(JsonParser parser, byte[] body) throws IOException, DecodeException {
    List<Element> elements = new ArrayList<>();
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (elements.size() == maxBatchEvents) {
        throw new DecodeException(Problem.of(Reason.PAYLOAD_TOO_LARGE,
            "the batch has more than " + maxBatchEvents + " events; split it into smaller batches"));
      }
      if (token != JsonToken.START_OBJECT) {
        parser.skipChildren();
        elements.add(new Element(null, "must be a JSON object (an event)"));
        continue;
      }
      RawEvent event = readEvent(parser, body);
      elements.add(event.raw.length > maxEventBytes
          ? new Element(null, "the event is " + event.raw.length + " bytes; the limit is " + maxEventBytes + " bytes per event")
          : new Element(event, null));
    }
    return elements;
  }

  private static RawEvent readEvent(JsonParser parser, byte[] body) throws IOException {
    int start = (int) parser.currentTokenLocation().getByteOffset();
    JsonNode node = parser.readValueAsTree();
    int end = (int) parser.currentLocation().getByteOffset();
    return new RawEvent(node, Arrays.copyOfRange(body, start, end));
  }

  /**
   * Before Jackson sees it: Jackson would take a UTF-16 or UTF-32 body for JSON (and its byte
   * offsets, which the raw payload is cut by, would be wrong) and lets some invalid UTF-8 through.
   */
  private static void requireUtf8(byte[] body) throws DecodeException {
    int invalid = Utf8.firstInvalid(body);
    if (invalid >= 0) {
      throw malformedRequest("the body is not valid UTF-8 JSON text (byte " + invalid
          + "): send JSON encoded as UTF-8, with control characters in strings escaped");
    }
  }

  private static DecodeException malformed(JsonProcessingException e) {
    String reason = e.getOriginalMessage();
    if (reason != null && reason.startsWith("Duplicate field ") && reason.contains(DUPLICATE_IN_TREE)) {
      reason = reason.substring(0, reason.indexOf(DUPLICATE_IN_TREE)); // the parser's words, not a Jackson setting
    }
    return malformed(reason, e.getLocation());
  }

  private static DecodeException malformed(String reason, JsonLocation location) {
    String where = location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    return malformedRequest("the body is not valid JSON" + where + ": " + shorten(reason));
  }

  private static DecodeException malformedRequest(String detail) {
    return new DecodeException(Problem.of(Reason.MALFORMED_REQUEST, detail));
  }

  private static String shorten(String text) {
    if (text == null) {
      return "unreadable input";
    }
    int newline = text.indexOf('\n');
    String line = newline < 0 ? text : text.substring(0, newline);
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
