package io.gameevents.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The project's own Java sources, for tests that hold every file to a rule. */
public final class SourceTree {

  private SourceTree() {
  }

  /** Every .java file under those of {@code roots} (paths from the project's root) that exist. */
  public static List<Path> javaFiles(String... roots) {
    try (Stream<Path> files = Stream.of(roots).map(Path::of).filter(Files::isDirectory).flatMap(SourceTree::walk)) {
      return files.filter(file -> file.toString().endsWith(".java")).toList();
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
