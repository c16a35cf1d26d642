package io.gameevents;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Which config the service runs with when started without {@code -conf}, and the first log line saying so. */
class ConfResolutionTest {

  @TempDir
  Path workingDirectory;

  @Test
  void withoutConfTheWorkingDirectorysConfConfigJsonIsUsedAndNamed() throws Exception {
    Path file = workingDirectory.resolve("conf/config.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{}");

    Main.ConfSource source = Main.resolveConf(new CommandLine.Serve(null, true), workingDirectory);

    assertThat(source.serve().conf()).isEqualTo(file.toString());
    assertThat(source.serve().launcherArgs()).as("Main reads the config; the launcher does not again")
        .containsExactly("-cluster");
    assertThat(source.description()).isEqualTo("config: " + file
        + " (no -conf given, so conf/config.json in the working directory)");
  }

  @Test
  void withoutConfAndWithoutConfConfigJsonTheBuiltInDefaultsAreUsedAndSaid() {
    Main.ConfSource source = Main.resolveConf(new CommandLine.Serve(null, false), workingDirectory);

    assertThat(source.serve().conf()).isNull();
    assertThat(source.serve().launcherArgs()).isEmpty();
    assertThat(source.description()).isEqualTo("config: the built-in defaults (no -conf given, and no "
        + "conf/config.json in " + workingDirectory + "); GAME_EVENTS_* environment variables apply");
  }

  @Test
  void anExplicitConfWinsOverConfConfigJsonAndAddsNoLogLine() throws Exception {
    Files.createDirectories(workingDirectory.resolve("conf"));
    Files.writeString(workingDirectory.resolve("conf/config.json"), "{}");
    Main.ConfSource source = Main.resolveConf(new CommandLine.Serve("other.json", false), workingDirectory);

    assertThat(source.serve().conf()).isEqualTo("other.json");
    assertThat(source.serve().launcherArgs()).isEmpty();
    assertThat(source.description()).isNull();
  }
}
