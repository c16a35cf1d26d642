package io.gameevents.util;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GzipTest {

  @Test
  void concatenatedMembersInflateToTheirConcatenation() throws Exception {
    byte[] body = concat(gzip("{\"events\":["), gzip(""), gzip("{\"a\":1},"), gzip("{\"b\":2}]}"));

    assertThat(new String(Gzip.inflate(body, true, 1024), StandardCharsets.UTF_8))
        .isEqualTo("{\"events\":[{\"a\":1},{\"b\":2}]}");
  }

  @Test
  void theMemberLimitItselfIsAccepted() throws Exception {
    byte[][] members = new byte[Gzip.MAX_MEMBERS][];
    for (int i = 0; i < members.length; i++) {
      members[i] = gzip("x");
    }

    assertThat(Gzip.inflate(concat(members), true, 1024 * 1024)).hasSize(Gzip.MAX_MEMBERS);
  }

  @Test
  void oneMemberOverTheLimitIsRefused() throws IOException {
    byte[][] members = new byte[Gzip.MAX_MEMBERS + 1][];
    members[0] = gzip("{\"events\":[]}");
    for (int i = 1; i < members.length; i++) {
      members[i] = gzip("");
    }

    assertThatThrownBy(() -> Gzip.inflate(concat(members), true, 1024 * 1024))
        .isInstanceOf(Gzip.TooManyMembersException.class);
  }

  @Test
  void recoveryCountsManyCompleteMembersAndStopsAtATornOne() throws IOException {
    byte[][] members = new byte[Gzip.MAX_MEMBERS * 2][];
    for (int i = 0; i < members.length; i++) {
      members[i] = gzip("{\"n\":" + i + "}\n");
    }
    byte[] complete = concat(members);
    byte[] torn = gzip("{\"torn\":true}\n");
    byte[] file = concat(complete, java.util.Arrays.copyOf(torn, torn.length - 3));

    // the sink's own files hold a member per batch: no member limit on recovery
    assertThat(Gzip.completeMembersLength(file)).isEqualTo(complete.length);
  }

  static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
