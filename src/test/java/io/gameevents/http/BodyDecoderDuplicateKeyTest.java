package io.gameevents.http;

import io.gameevents.http.BodyDecoder.DecodeException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A key twice in one object, at any depth, is refused naming the key and where its second value starts, in single
 * events, batch elements and the batch wrapper.
 */
class BodyDecoderDuplicateKeyTest {

  private static final String EVENT = "{\"event_id\":\"e-1\",\"event_type\":\"install\",\"app_id\":\"com.game.test\"";
  private final BodyDecoder decoder = new BodyDecoder(32 * 1024, 500);

  @Test
  void aTopLevelKeyTwiceInASingleEvent() {
    assertThat(detailOfSingle(EVENT + ",\"app_id\":\"com.other.game\"}"))
        .isEqualTo("the body is not valid JSON (line 1, column 76): Duplicate field 'app_id'");
  }

  @Test
  void aNestedKeyTwice() {
    assertThat(detailOfSingle(EVENT + ",\"properties\":{\"a\":{\"b\":1,\"b\":2}}}"))
        .isEqualTo("the body is not valid JSON (line 1, column 96): Duplicate field 'b'");
  }

  @Test
  void aKeyTwiceInABatchElement() {
    assertThat(detailOfBatch("{\"events\":[" + EVENT + "}," + EVENT + ",\"event_id\":\"e-2\"}]}"))
        .isEqualTo("the body is not valid JSON (line 1, column 156): Duplicate field 'event_id'");
  }

  @Test
  void eventsTwiceInTheBatchWrapper() {
    assertThat(detailOfBatch("{\"events\":[],\"events\":[" + EVENT + "}]}"))
        .isEqualTo("the body is not valid JSON (line 1, column 23): Duplicate field 'events'");
  }

  @Test
  void theSameKeyInSiblingObjectsIsNoDuplicate() throws DecodeException {
    assertThat(decoder.single(bytes(EVENT + ",\"properties\":{\"a\":{\"k\":1},\"b\":{\"k\":2}}}")).node()
        .at("/properties/b/k").intValue()).isEqualTo(2);
    assertThat(decoder.batch(bytes("{\"events\":[" + EVENT + "}," + EVENT + "}]}"))).hasSize(2);
  }

  private String detailOfSingle(String body) {
    return catchThrowableOfType(DecodeException.class, () -> decoder.single(bytes(body))).getMessage();
  }

  private String detailOfBatch(String body) {
    return catchThrowableOfType(DecodeException.class, () -> decoder.batch(bytes(body))).getMessage();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
