package io.gameevents.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.function.Function;

/**
 * A web origin ({@code scheme://host[:port]}) as a browser sends it in the {@code Origin} header: lower case,
 * without the scheme's default port. Configured origins are brought to that form, so
 * {@code https://Play.Studio.com:443} matches what the browser sends, {@code https://play.studio.com}.
 */
public final class WebOrigin {

  private WebOrigin() {
  }

  /** @param invalid builds the config error from a reason ("must be ...") */
  public static String parse(String text, Function<String, ConfigException> invalid) {
    String trimmed = text.trim();
    if (trimmed.equals("*")) {
      throw invalid.apply("lists \"*\": name each site exactly (e.g. https://play.studio.com), "
          + "so that no other web page can use this key from its visitors' browsers");
    }
    URI uri;
    try {
      uri = new URI(trimmed);
    } catch (URISyntaxException e) {
      throw invalid.apply("entry '" + text + "' is not an origin such as https://play.studio.com");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
      throw invalid.apply("entry '" + text + "' must be an http or https origin such as https://play.studio.com");
    }
    if (uri.getRawUserInfo() != null || !uri.getRawPath().isEmpty() || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw invalid.apply("entry '" + text + "' must be an origin only, scheme://host[:port] without a path "
          + "or a trailing slash, e.g. " + scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT)
          + (uri.getPort() < 0 ? "" : ":" + uri.getPort()));
    }
    int port = uri.getPort();
    boolean defaultPort = port == 443 && scheme.equals("https") || port == 80 && scheme.equals("http");
    return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (port < 0 || defaultPort ? "" : ":" + port);
  }
}
