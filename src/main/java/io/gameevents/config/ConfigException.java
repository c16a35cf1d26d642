package io.gameevents.config;

/** A start-up failure caused by configuration; its message names the key and fits on one line. */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
