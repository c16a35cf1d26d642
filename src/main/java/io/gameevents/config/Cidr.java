package io.gameevents.config;

import io.netty.util.NetUtil;

import java.util.Arrays;
import java.util.function.Function;

/**
 * An address range such as {@code 10.0.0.0/8} or {@code 2001:db8::/32} (a bare address is the range of itself),
 * as {@code http.trusted_proxies} lists them. Addresses are compared as bytes: 4 for IPv4, 16 for IPv6, with an
 * IPv4-mapped IPv6 address ({@code ::ffff:10.1.2.3}) taken as the IPv4 address it maps, as a dual-stack socket
 * reports IPv4 peers that way.
 */
public final class Cidr {

  private final byte[] network;
  private final int prefix;

  private Cidr(byte[] network, int prefix) {
    this.network = network;
    this.prefix = prefix;
  }

  /**
   * @param invalid builds the start-up error naming the config key, from what is wrong
   */
  static Cidr parse(String text, Function<String, ConfigException> invalid) {
    String trimmed = text.trim();
    int slash = trimmed.indexOf('/');
    byte[] address = address(slash < 0 ? trimmed : trimmed.substring(0, slash));
    if (address == null) {
      throw invalid.apply("has \"" + text + "\", which is not an IPv4 or IPv6 address or range (e.g. 10.0.0.0/8)");
    }
    int bits = address.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String length = trimmed.substring(slash + 1);
      if (!length.matches("\\d{1,3}") || Integer.parseInt(length) > bits) {
        throw invalid.apply("has \"" + text + "\", whose prefix length must be 0 to " + bits);
      }
      prefix = Integer.parseInt(length);
    }
    Cidr range = new Cidr(address, prefix);
    if (!Arrays.equals(range.masked(address), address)) {
      // 10.0.0.1/8 is most likely a typo for one address or for 10.0.0.0/8: which one was meant decides who is trusted
      throw invalid.apply("has \"" + text + "\", which has bits set past its prefix: write "
          + NetUtil.bytesToIpAddress(range.masked(address)) + "/" + prefix + " or the single address");
    }
    return range;
  }

  /**
   * The bytes of an IP address literal (never a host name: nothing is looked up), or null when {@code text} is
   * none. IPv4-mapped IPv6 addresses give the 4 bytes of the IPv4 address.
   */
  public static byte[] address(String text) {
    if (text == null || text.isEmpty() || text.indexOf('%') >= 0) {
      return null;
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(text);
    if (bytes != null && bytes.length == 16 && isIpv4Mapped(bytes)) {
      return Arrays.copyOfRange(bytes, 12, 16);
    }
    return bytes;
  }

  public boolean contains(byte[] address) {
    return address.length == network.length && Arrays.equals(masked(address), network);
  }

  private byte[] masked(byte[] address) {
    byte[] out = new byte[address.length];
    for (int i = 0; i < address.length; i++) {
      int bitsHere = Math.max(0, Math.min(8, prefix - i * 8));
      out[i] = (byte) (address[i] & (0xff00 >> bitsHere));
    }
    return out;
  }

  private static boolean isIpv4Mapped(byte[] bytes) {
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
  }

  @Override
  public String toString() {
    return NetUtil.bytesToIpAddress(network) + "/" + prefix;
  }
}
