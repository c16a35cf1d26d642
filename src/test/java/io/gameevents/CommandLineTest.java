package io.gameevents;

import io.gameevents.CommandLine.Help;
import io.gameevents.CommandLine.Invalid;
import io.gameevents.CommandLine.Run;
import io.gameevents.CommandLine.Serve;
import io.gameevents.CommandLine.Version;
import io.gameevents.Commands.Command;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The jar's arguments, read once: what each asks for, and the usage --help prints. */
class CommandLineTest {

  @Test
  void withoutArgumentsTheServiceStartsOnTheDefaultConfig() {
    assertThat(CommandLine.parse(new String[0])).isEqualTo(new Serve(null, false));
  }

  @Test
  void confAndClusterInEveryFormTheLauncherTookThem() {
    assertThat(parse("-conf", "a.json", "-cluster")).isEqualTo(new Serve("a.json", true));
    assertThat(parse("-cluster", "--conf", "a.json")).isEqualTo(new Serve("a.json", true));
    assertThat(parse("-conf=a.json")).isEqualTo(new Serve("a.json", false));
    assertThat(parse("--conf={\"http\":{}}", "-c")).isEqualTo(new Serve("{\"http\":{}}", true));
    assertThat(parse("--cluster")).isEqualTo(new Serve(null, true));
  }

  @Test
  void theLauncherIsGivenClusterAsParsedAndNoConfWhichMainReadsItself() {
    assertThat(((Serve) parse("-cluster", "-conf=a.json")).launcherArgs()).containsExactly("-cluster");
    assertThat(((Serve) parse("-conf", "{}")).launcherArgs()).isEmpty();
    assertThat(((Serve) parse("-conf", " {}")).confIsFile()).isFalse();
    assertThat(((Serve) parse("-conf", "a.json")).confIsFile()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"--help", "-help", "-h"})
  void helpWinsWhereverItIs(String help) {
    assertThat(parse(help)).isInstanceOf(Help.class);
    assertThat(parse("-conf", "a.json", help, "--bogus")).isInstanceOf(Help.class);
  }

  @Test
  void versionIsAnOption() {
    assertThat(parse("--version")).isInstanceOf(Version.class);
    assertThat(parse("-cluster", "-version")).isInstanceOf(Version.class);
    assertThat(CommandLine.version("1.4.0")).isEqualTo("game-events 1.4.0");
    assertThat(CommandLine.version(null)).isEqualTo("game-events (unknown version: not run from the jar)");
  }

  @Test
  void aCommandTakesTheArgumentsAfterItsName() {
    Run run = (Run) parse("hash-key", "--stdin");

    assertThat(run.command().name()).isEqualTo("hash-key");
    assertThat(run.args()).containsExactly("--stdin");
  }

  @Test
  void replayIsACommandOfTheJar(@TempDir Path lake) {
    Run run = (Run) parse("replay", "--lake", lake.toString(), "--dry-run");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int exit = run.command().tool().run(run.args(), InputStream.nullInputStream(),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(run.command().name()).isEqualTo("replay");
    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("selected 0 refused records from " + lake);
  }

  @Test
  void whatIsNotOursIsRefusedSayingWhat() {
    assertThat(parse("--bogus")).isEqualTo(new Invalid("unknown option '--bogus'"));
    // the Vert.x launcher's own options are not the service's
    assertThat(parse("-conf", "a.json", "-instances", "4")).isEqualTo(new Invalid("unknown option '-instances'"));
    assertThat(parse("hash-keys")).isEqualTo(new Invalid("unknown command 'hash-keys'"));
    assertThat(parse("-cluster", "hash-key")).isEqualTo(
        new Invalid("unexpected argument 'hash-key' (commands come first)"));
    assertThat(parse("-conf")).isEqualTo(new Invalid("-conf needs a file name or inline JSON"));
    assertThat(parse("-conf", "a.json", "-conf=b.json")).isEqualTo(new Invalid("-conf is given twice"));
  }

  @Test
  void theUsageNamesTheServicesOptionsAndEveryCommand() {
    String usage = CommandLine.usage();

    assertThat(usage).startsWith("Usage: java -jar game-events.jar [-conf FILE|JSON] [-cluster]\n"
        + "       java -jar game-events.jar COMMAND [ARGUMENTS]\n"
        + "       java -jar game-events.jar --help | --version\n")
        .contains("\n  -conf FILE|JSON     the config: a JSON file or inline JSON")
        .contains("\n  -cluster            join the cluster")
        .contains("\nOptions:\n  --help              print this text\n")
        .endsWith("\n  --version           print the version\n")
        .doesNotContain("VertxApplication", "mainVerticle");
    assertThat(Commands.ALL).isNotEmpty();
    for (Command command : Commands.ALL) {
      assertThat(usage).containsPattern("\nCommands:\n(  .*\n)*  " + java.util.regex.Pattern.quote(command.name()
          + " " + command.arguments()) + " +" + java.util.regex.Pattern.quote(command.summary()) + "\n");
    }
  }

  private static CommandLine.Parsed parse(String... args) {
    return CommandLine.parse(args);
  }
}
