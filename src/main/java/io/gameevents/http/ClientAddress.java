package io.gameevents.http;

import io.gameevents.config.Cidr;
import io.gameevents.config.HttpConfig;
import io.netty.util.NetUtil;
import io.vertx.core.MultiMap;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where a request comes from, worked out once per request (a handler of every public route, right after the
 * request id) and kept on its context for everything keyed by address: the request slots per address, the rate
 * limit per address, the access log and the debugger.
 *
 * <p>The peer is the socket's remote address, which Vert.x already replaces by the PROXY header's source when
 * {@code http.proxy_protocol} is on. A peer in {@code http.trusted_proxies} speaks for its client: the client is
 * then the last hop of {@code http.forwarded_header} that is not itself trusted, walking from the right (each
 * proxy appends the address it saw, so only the hops our own proxies wrote can be believed; whatever the client
 * wrote itself sits further left). The header of any other peer is ignored, as is a malformed hop of a trusted
 * one: the request is then the peer's.
 *
 * @param address the client's address in its canonical text (RFC 5952 for IPv6): what the logs show
 * @param group   what limits per address count by: the address itself for IPv4, its /64 for IPv6 (one host
 *                usually has a whole /64, so a count per IPv6 address would be a count per request)
 */
public record ClientAddress(String address, String group) {

  private static final String KEY = "game-events.client";

  /** The client of a request whose handler chain went through {@link Resolver#assign}; null when it has none. */
  public static ClientAddress of(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  static ClientAddress of(byte[] bytes) {
    String text = NetUtil.bytesToIpAddress(bytes);
    if (bytes.length == 4) {
      return new ClientAddress(text, text);
    }
    byte[] prefix = Arrays.copyOf(Arrays.copyOf(bytes, 8), 16);
    return new ClientAddress(text, NetUtil.bytesToIpAddress(prefix) + "/64");
  }

  /** Works out {@link ClientAddress} from the peer and the headers, per {@code http.*} config. */
  static final class Resolver {

    private final List<Cidr> trusted;
    private final boolean rfc7239;

    Resolver(HttpConfig config) {
      this.trusted = config.trustedProxies();
      this.rfc7239 = "forwarded".equals(config.forwardedHeader());
    }

    /** The route handler: resolves once, for every later handler. */
    void assign(RoutingContext ctx) {
      ctx.put(KEY, resolve(ctx.request().remoteAddress(), ctx.request().headers()));
      ctx.next();
    }

    ClientAddress resolve(SocketAddress peer, MultiMap headers) {
      byte[] peerBytes = peer == null ? null : Cidr.address(peer.hostAddress());
      if (peerBytes == null) {
        return null; // not an IP socket
      }
      if (!trusted(peerBytes)) {
        return of(peerBytes);
      }
      List<String> hops = rfc7239 ? ForwardedHeader.forHops(headers.getAll("Forwarded"))
          : listItems(headers.getAll("X-Forwarded-For"));
      if (hops == null) {
        return of(peerBytes);
      }
      byte[] client = peerBytes;
      for (int i = hops.size() - 1; i >= 0; i--) {
        byte[] hop = hopAddress(hops.get(i));
        if (hop == null) {
          return of(peerBytes); // a hop that is no address: nothing to the left of it can be placed
        }
        client = hop;
        if (!trusted(hop)) {
          break;
        }
      }
      return of(client); // every hop trusted: the leftmost is as far back as anyone says
    }

    private boolean trusted(byte[] address) {
      for (Cidr range : trusted) {
        if (range.contains(address)) {
          return true;
        }
      }
      return false;
    }

    /** X-Forwarded-For's comma-separated list over all its header lines, in order; null when it has none. */
    private static List<String> listItems(List<String> lines) {
      if (lines.isEmpty()) {
        return null;
      }
      List<String> items = new ArrayList<>();
      for (String line : lines) {
        for (String item : line.split(",", -1)) {
          items.add(item.trim());
        }
      }
      return items;
    }

    /**
     * One hop: an IPv4 or IPv6 address, optionally with a port ({@code 192.0.2.1:4711}, {@code [2001:db8::1]:4711})
     * or in brackets; null for anything else ({@code unknown}, an obfuscated name, a host name, nothing).
     */
    static byte[] hopAddress(String hop) {
      String text = hop;
      if (text.startsWith("[")) {
        int close = text.indexOf(']');
        if (close < 0 || !(close == text.length() - 1 || text.charAt(close + 1) == ':')) {
          return null;
        }
        text = text.substring(1, close);
      } else if (text.indexOf(':') == text.lastIndexOf(':') && text.indexOf(':') > 0) {
        int colon = text.indexOf(':'); // IPv4 with a port; a bare IPv6 has several colons
        if (!text.substring(colon + 1).matches("\\d{1,5}")) {
          return null;
        }
        text = text.substring(0, colon);
      }
      return Cidr.address(text);
    }
  }
}
