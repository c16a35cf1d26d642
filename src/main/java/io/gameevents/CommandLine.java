package io.gameevents;

import io.gameevents.Commands.Command;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The jar's command line, read once: start the service ({@code -conf}, {@code -cluster}), run one of
 * {@link Commands}, or answer {@code --help} / {@code --version}. Anything else is refused with the usage, rather than
 * handed to the Vert.x launcher, whose own options and usage are not this service's.
 */
final class CommandLine {

  /** What the arguments ask for. */
  sealed interface Parsed permits Serve, Run, Help, Version, Invalid {
  }

  /**
   * Start the service.
   *
   * @param conf    the {@code -conf} value (a file name or inline JSON), or null without one
   * @param cluster whether {@code -cluster} was given
   */
  record Serve(String conf, boolean cluster) implements Parsed {

    /**
     * The arguments for the Vert.x launcher, which joins the cluster. Not {@code -conf}: {@link Main} has read the
     * config already and hands it to the verticle, so the file is read once.
     */
    String[] launcherArgs() {
      List<String> args = new ArrayList<>();
      if (cluster) {
        args.add("-cluster");
      }
      return args.toArray(String[]::new);
    }

    /** Inline JSON is taken as given; anything else names a file. */
    boolean confIsFile() {
      return conf != null && !conf.trim().startsWith("{");
    }
  }

  /** Run {@code command} with the arguments after its name. */
  record Run(Command command, String[] args) implements Parsed {
  }

  record Help() implements Parsed {
  }

  record Version() implements Parsed {
  }

  /** @param problem one line saying what is wrong with the arguments */
  record Invalid(String problem) implements Parsed {
  }

  static final String JAR = "java -jar game-events.jar";

  private CommandLine() {
  }

  static Parsed parse(String[] args) {
    if (args.length > 0 && !args[0].startsWith("-")) {
      return Commands.named(args[0])
          .<Parsed>map(command -> new Run(command, Arrays.copyOfRange(args, 1, args.length)))
          .orElseGet(() -> new Invalid("unknown command '" + args[0] + "'"));
    }
    String conf = null;
    boolean cluster = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String value = null;
      switch (arg) {
        case "--help", "-help", "-h" -> {
          return new Help();
        }
        case "--version", "-version" -> {
          return new Version();
        }
        case "-cluster", "--cluster", "-c" -> cluster = true;
        case "-conf", "--conf" -> {
          if (i + 1 >= args.length) {
            return new Invalid(arg + " needs a file name or inline JSON");
          }
          value = args[++i];
        }
        default -> {
          if (arg.startsWith("-conf=") || arg.startsWith("--conf=")) {
            value = arg.substring(arg.indexOf('=') + 1);
          } else if (arg.startsWith("-")) {
            return new Invalid("unknown option '" + arg + "'");
          } else {
            return new Invalid("unexpected argument '" + arg + "' (commands come first)");
          }
        }
      }
      if (value != null) {
        if (conf != null) {
          return new Invalid("-conf is given twice");
        }
        conf = value;
      }
    }
    return new Serve(conf, cluster);
  }

  /** {@code --help}'s text: the service's options, then every command of {@link Commands}. */
  static String usage() {
    StringBuilder text = new StringBuilder()
        .append("Usage: ").append(JAR).append(" [-conf FILE|JSON] [-cluster]\n")
        .append("       ").append(JAR).append(" COMMAND [ARGUMENTS]\n")
        .append("       ").append(JAR).append(" --help | --version\n")
        .append("\nStarting the service (no command):\n");
    row(text, "-conf FILE|JSON", "the config: a JSON file or inline JSON (default: conf/config.json in the");
    row(text, "", "working directory when it exists, else the built-in defaults); GAME_EVENTS_*");
    row(text, "", "environment variables apply in every case");
    row(text, "-cluster", "join the cluster that the config's cluster section describes");
    text.append("\nCommands:\n");
    for (Command command : Commands.ALL) {
      row(text, command.name() + " " + command.arguments(), command.summary());
    }
    text.append("\nOptions:\n");
    row(text, "--help", "print this text");
    row(text, "--version", "print the version");
    return text.toString();
  }

  private static final int NAME_COLUMNS = 18;

  private static void row(StringBuilder text, String name, String description) {
    text.append("  ").append(name).append(" ".repeat(Math.max(NAME_COLUMNS - name.length(), 0) + 2))
        .append(description).append('\n');
  }

  /** {@code --version}'s line: the Maven project's version, as the jar's manifest carries it. */
  static String version(String implementationVersion) {
    return "game-events " + (implementationVersion == null ? "(unknown version: not run from the jar)"
        : implementationVersion);
  }
}
