package io.gameevents.http.auth;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * {@code java -jar game-events.jar hash-key [--stdin]}: makes an API key or admin token's {@code sha256} without
 * writing code, and prints the config entries to paste. Without {@code --stdin} a new random key is made
 * (256 bits, base64url: a valid Bearer token without dots, so never mistaken for a JWT); with it, the key is the
 * first line of standard input. An explicit flag, not "stdin when piped": a command that waits on a terminal
 * for input nobody knew it wanted looks hung.
 */
public final class HashKeyCommand {

  public static final String NAME = "hash-key";
  static final String USAGE = "usage: java -jar game-events.jar hash-key [--stdin]  (a new random key, or the key"
      + " read from the first line of standard input)";
  private static final int MIN_KEY_CHARS = 8; // as config/Secret requires of a plain key
  private static final int RANDOM_BYTES = 32;

  private HashKeyCommand() {
  }

  /** @param args the arguments after {@code hash-key}; returns the process exit code */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    boolean fromStdin = args.length == 1 && args[0].equals("--stdin");
    if (args.length > 1 || (args.length == 1 && !fromStdin)) {
      err.println(USAGE);
      return 2;
    }
    String key;
    try {
      key = fromStdin ? firstLine(in) : newKey();
    } catch (IOException e) {
      err.println("game-events: cannot read the key from standard input: " + e.getMessage());
      return 2;
    }
    String problem = problemWith(key);
    if (problem != null) {
      err.println("game-events: " + problem);
      return 2;
    }
    String sha256 = HexFormat.of().formatHex(HashedSecrets.sha256(key));
    if (!fromStdin) {
      out.println("key (give it to the game or the operator; it is stored nowhere): " + key);
    }
    out.println("sha256: " + sha256);
    out.println("for auth.api_keys (choose the id and app_ids):");
    out.println("  {\"id\": \"game\", \"sha256\": \"" + sha256 + "\", \"app_ids\": [\"com.studio.game\"]}");
    out.println("for admin.tokens (choose the id):");
    out.println("  {\"id\": \"ops\", \"sha256\": \"" + sha256 + "\"}");
    return 0;
  }

  private static String newKey() {
    byte[] bytes = new byte[RANDOM_BYTES];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String firstLine(InputStream in) throws IOException {
    String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
    return line == null ? "" : line.strip();
  }

  /** Why this key could never be sent as {@code Authorization: Bearer <key>}, or null. */
  private static String problemWith(String key) {
    if (key.length() < MIN_KEY_CHARS) {
      return "the key must be at least " + MIN_KEY_CHARS + " characters";
    }
    if (!BearerHeader.B64TOKEN.matcher(key).matches()) {
      return "the key may only contain A-Z a-z 0-9 - . _ ~ + / (then '=' padding), the characters a Bearer"
          + " token can carry";
    }
    return null;
  }
}
