package io.gameevents.config;

/**
 * Player privacy requests ({@code POST /v1/privacy/requests}) and the suppression list they keep.
 *
 * @param directory     this node's copy of the suppression list and its privacy requests (each fsynced); every node
 *                      keeps one, an edge included, since an edge checks the list
 * @param tombstoneSalt the salt of the subject hash an erasure's tombstone carries to the warehouse; null when
 *                      unset (no tombstone is sent)
 */
public record PrivacyConfig(String directory, TombstoneSalt tombstoneSalt) {

  public static final PrivacyConfig DEFAULTS = new PrivacyConfig("data/privacy", null);

  static PrivacyConfig from(Section s) {
    PrivacyConfig config = new PrivacyConfig(s.string("directory", DEFAULTS.directory()), TombstoneSalt.from(s));
    s.done();
    return config;
  }
}
