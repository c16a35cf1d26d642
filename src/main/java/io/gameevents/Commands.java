package io.gameevents;

import io.gameevents.http.auth.HashKeyCommand;
import io.gameevents.replay.ReplayCommand;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

/**
 * Every command of the jar besides starting the service, in one list: {@link CommandLine} dispatches on it and
 * {@code --help} lists it, so a command added here is both runnable and documented.
 */
final class Commands {

  /** A command's body: its arguments (after its name) and the process's streams in, the exit code out. */
  @FunctionalInterface
  interface Tool {
    int run(String[] args, InputStream in, PrintStream out, PrintStream err);
  }

  /**
   * @param name      as typed, first on the command line
   * @param arguments its synopsis after the name, for {@code --help}
   * @param summary   one line for {@code --help}
   */
  record Command(String name, String arguments, String summary, Tool tool) {
  }

  static final List<Command> ALL = List.of(
      new Command(HashKeyCommand.NAME, "[--stdin]", "make an API key or admin token (or read one from standard"
          + " input) and print its sha256 for the config", HashKeyCommand::run),
      new Command(ReplayCommand.NAME, ReplayCommand.ARGUMENTS, ReplayCommand.SUMMARY, ReplayCommand::run));

  private Commands() {
  }

  static Optional<Command> named(String name) {
    return ALL.stream().filter(command -> command.name().equals(name)).findFirst();
  }
}
