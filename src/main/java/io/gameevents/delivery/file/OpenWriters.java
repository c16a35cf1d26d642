package io.gameevents.delivery.file;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The file sinks writing under each directory in this process, so that an erasure of that directory can have each
 * seal its file in progress first. Keyed by directory, not held by one object, because the sinks are made per
 * delivery instance by {@link FileSinkType#create} while the erasure is wired at the composition root; the
 * directory lock ({@link FileSinkType#prepareDirectory}) already makes a directory belong to one process.
 */
final class OpenWriters {

  private static final Map<Path, Set<FileSink>> WRITERS = new ConcurrentHashMap<>();

  private OpenWriters() {
  }

  static void register(Path root, FileSink sink) {
    WRITERS.computeIfAbsent(key(root), k -> ConcurrentHashMap.newKeySet()).add(sink);
  }

  static void unregister(Path root, FileSink sink) {
    WRITERS.computeIfPresent(key(root), (k, sinks) -> {
      sinks.remove(sink);
      return sinks.isEmpty() ? null : sinks;
    });
  }

  static List<FileSink> under(Path root) {
    Set<FileSink> sinks = WRITERS.get(key(root));
    return sinks == null ? List.of() : List.copyOf(sinks);
  }

  private static Path key(Path root) {
    return root.toAbsolutePath().normalize();
  }
}
