package io.gameevents.config;

/**
 * Player privacy requests ({@code POST /v1/privacy/requests}) and the suppression list they keep.
 *
 * @param directory this node's copy of the suppression list and its privacy requests (each fsynced); every node
 *                  keeps one, an edge included, since an edge checks the list
 */
public record PrivacyConfig(String directory) {

  public static final PrivacyConfig DEFAULTS = new PrivacyConfig("data/privacy");

  static PrivacyConfig from(Section s) {
    PrivacyConfig config = new PrivacyConfig(s.string("directory", DEFAULTS.directory()));
    s.done();
    return config;
  }
}
