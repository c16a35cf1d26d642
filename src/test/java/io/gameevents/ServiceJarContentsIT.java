package io.gameevents;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service's fat jar stays lean: the DuckDB driver (about 80 MB of native libraries) belongs to the
 * query tool's own artifact (query/target/game-events-query.jar), and neither it nor the test-only SQL
 * parser may slip into target/game-events.jar through a dependency.
 */
class ServiceJarContentsIT {

  @Test
  void theServiceJarHoldsNoDuckDbNorSqlParserClasses() throws Exception {
    try (JarFile jar = new JarFile(Path.of("target/game-events.jar").toFile())) {
      List<String> strays = jar.stream().map(ZipEntry::getName)
          .filter(name -> name.startsWith("org/duckdb/") || name.startsWith("libduckdb")
              || name.startsWith("net/sf/jsqlparser/") || name.startsWith("io/gameevents/query/"))
          .limit(5)
          .toList();

      assertThat(jar.getEntry("io/gameevents/Main.class")).as("the service's own classes").isNotNull();
      assertThat(strays).isEmpty();
    }
  }
}
