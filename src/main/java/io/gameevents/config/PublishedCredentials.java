package io.gameevents.config;

import java.util.List;
import java.util.Map;

/**
 * The credentials this repository publishes (the quick-start config, README, SDK examples), as plain keys and as
 * the sha256 a config may hold instead. Anyone can read them, so a service that listens beyond this machine
 * refuses to start with one: the quick start must not turn into an open door by a change of {@code http.host}.
 */
final class PublishedCredentials {

  /** sha256 (as written in a config) -> the published key. */
  static final Map<String, String> BY_SHA256 = Map.of(
      "298754db2dbab6ec62605ceb0379eb7ee376580359449efe0caa3aa06cd56736", "dev-secret",
      "f0f642b692ba908c91a9afe3c53878700b32e66c8132fc071109b4af48625d46", "dev-admin-secret");

  private PublishedCredentials() {
  }

  /** Fails on the first published credential when {@code http.host} (both listeners' address) is not loopback. */
  static void refuseOffLoopback(AppConfig config) {
    String host = config.http().host();
    if (Loopback.isLoopback(host)) {
      return;
    }
    List<AuthConfig.ApiKey> keys = config.auth().apiKeys();
    for (int i = 0; i < keys.size(); i++) {
      check("auth.api_keys[" + i + "]", keys.get(i).id(), new Secret(keys.get(i).key(), keys.get(i).sha256()), host);
    }
    List<AdminConfig.Token> tokens = config.admin().tokens();
    for (int i = 0; i < tokens.size(); i++) {
      check("admin.tokens[" + i + "]", tokens.get(i).id(), tokens.get(i).secret(), host);
    }
  }

  private static void check(String path, String id, Secret secret, String host) {
    String published = published(secret);
    if (published != null) {
      throw new ConfigException(path + " (id \"" + id + "\") is the published development key \"" + published
          + "\", refused because http.host " + host + " is not a loopback address: make a real one with "
          + "'java -jar game-events.jar hash-key' and configure its sha256 (or set http.host to 127.0.0.1)");
    }
  }

  /** The published key this secret is, or null. */
  private static String published(Secret secret) {
    if (secret.key() != null) {
      return BY_SHA256.containsValue(secret.key()) ? secret.key() : null;
    }
    return BY_SHA256.get(secret.sha256());
  }
}
