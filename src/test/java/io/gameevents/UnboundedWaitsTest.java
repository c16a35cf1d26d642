package io.gameevents;

import io.gameevents.support.SourceTree;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No test waits on a Vert.x future without a bound: a bare {@code future.await} with no arguments turns a request that is never
 * answered into a stall until the 5-minute test timeout, with no word of which request it was. Awaitility's
 * {@code await()} is bounded by its own {@code atMost} (10 s by default), so it is allowed.
 */
class UnboundedWaitsTest {

  /** A future's await(); Awaitility's, written Awaitility.await(), is taken out first. */
  private static final Pattern AWAITILITY = Pattern.compile("Awaitility\\.await\\(\\)");
  /** Spelled in two parts so this file does not find itself. */
  private static final String BARE = ".await" + "()";

  @Test
  void everyTestWaitsWithABound() throws IOException {
    List<String> bare = SourceTree.javaFiles("src/test/java", "sdk/src/test/java", "query/src/test/java").stream()
        .flatMap(UnboundedWaitsTest::bareAwaits).toList();
    assertThat(bare).as("a future awaited without a timeout: use await(seconds, TimeUnit.SECONDS) or Waits.done").isEmpty();
  }

  private static Stream<String> bareAwaits(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      return IntStream.range(0, lines.size())
          .filter(i -> AWAITILITY.matcher(lines.get(i)).replaceAll("").contains(BARE))
          .mapToObj(i -> file + ":" + (i + 1) + ": " + lines.get(i).strip());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
