package io.gameevents.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Whether a listener address reaches this machine only (127.0.0.0/8, ::1, "localhost"). */
final class Loopback {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private Loopback() {
  }

  /**
   * True for "localhost" and loopback IP literals. Any other name counts as reachable from elsewhere: resolving
   * it here would make the answer depend on DNS at start-up, and a wrong "loopback" opens the service.
   */
  static boolean isLoopback(String host) {
    String name = host.strip().toLowerCase(Locale.ROOT);
    if (name.startsWith("[") && name.endsWith("]")) {
      name = name.substring(1, name.length() - 1);
    }
    if (name.equals("localhost")) {
      return true;
    }
    if (!IPV4.matcher(name).matches() && !name.contains(":")) {
      return false; // a host name: never looked up (see above)
    }
    try {
      return InetAddress.getByName(name).isLoopbackAddress(); // a literal: parsed, no lookup
    } catch (UnknownHostException notAnAddress) {
      return false;
    }
  }
}
