package io.gameevents;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No test reads a raw Vert.x client's answer one step after {@code send()}: in
 * {@code request(o).compose(r -> r.send()).compose(a -> a.body())} the second step may run on another event loop
 * than the answer, after its end, and the body then never completes (Vert.x 5.0.7; it stalled CI for 5 minutes).
 * Nest the answer's step inside the send's, or use {@code support.Exchange}.
 */
class ClientChainsTest {

  /** A step that is just a send ({@code r -> r.send(..)} or the method reference), then another step on the chain. */
  private static final Pattern RACY = Pattern.compile("(->\\s*\\w+\\.send\\([^()]*\\)\\)|HttpClientRequest::send\\))"
      + "\\s*\\.(compose|map|flatMap|onSuccess|andThen|transform)\\(");
  /** Block and line comments, which may quote the form. */
  private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

  @Test
  void everyAnswerIsReadInTheSendsOwnStep() {
    List<String> racy;
    try (Stream<Path> files = Stream.of("src/test/java", "sdk/src/test/java", "sdk/src/main/java", "query/src/test/java")
        .map(Path::of).filter(Files::isDirectory).flatMap(ClientChainsTest::walk)) {
      racy = files.filter(file -> file.toString().endsWith(".java"))
          .filter(file -> !file.endsWith("ClientChainsTest.java")) // its own samples
          .flatMap(ClientChainsTest::racyChains).toList();
    }
    assertThat(racy).as("an answer read one step after send(): nest it in the send's step (see support.Exchange)")
        .isEmpty();
  }

  @Test
  void theCheckFindsTheFormThatStalled() {
    assertThat(RACY.matcher("client.request(o)\n    .compose(request -> request.send())\n    .compose(r -> r.body())")
        .find()).isTrue();
    assertThat(RACY.matcher("client.request(o).compose(HttpClientRequest::send).map(r -> r)").find()).isTrue();
    assertThat(RACY.matcher("client.request(o).compose(request -> request.send(body)\n"
        + "    .compose(response -> response.body()))").find()).isFalse();
  }

  private static Stream<String> racyChains(Path file) {
    try {
      // a comment's characters become spaces, so line numbers stay right
      String text = COMMENTS.matcher(Files.readString(file)).replaceAll(m -> m.group().replaceAll("[^\\n]", " "));
      Matcher matcher = RACY.matcher(text);
      Stream.Builder<String> found = Stream.builder();
      while (matcher.find()) {
        int line = (int) text.substring(0, matcher.start()).chars().filter(c -> c == '\n').count() + 1;
        found.add(file + ":" + line);
      }
      return found.build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Stream<Path> walk(Path root) {
    try {
      return Files.walk(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
