package dev.llmgateway.providers.gemini;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.jspecify.annotations.Nullable;

/**
 * Which addresses an image fetched for {@link GeminiProvider.Builder#fetchImageUrls(boolean)} may
 * come from: by default ({@link #PUBLIC_ONLY}) only public unicast addresses, so that a URL in a
 * request cannot make the gateway reach its own host, its network or a cloud metadata service.
 */
@FunctionalInterface
interface ImageFetchAddresses {
  /** Only public addresses: every range {@link #whyNotPublic(InetAddress)} names is refused. */
  ImageFetchAddresses PUBLIC_ONLY = ImageFetchAddresses::whyNotPublic;

  /**
   * Why an address is refused, or null when it may be fetched from.
   *
   * @param address a resolved address of the image's host
   * @return the reason it is refused (e.g. {@code "a loopback address"}), or null
   */
  @Nullable String refusal(InetAddress address);

  /**
   * Why an address is not public, or null when it is: unspecified ({@code 0.0.0.0/8}, {@code ::}),
   * loopback ({@code 127/8}, {@code ::1}), link-local ({@code 169.254/16} with the cloud metadata
   * address, {@code fe80::/10}), private ({@code 10/8}, {@code 172.16/12}, {@code 192.168/16},
   * {@code fc00::/7}, {@code fec0::/10}), shared ({@code 100.64/10}), IETF, benchmarking and
   * reserved IPv4 ranges ({@code 192.0.0/24}, {@code 198.18/15}, {@code 240/4}) and multicast; an
   * IPv6 address embedding an IPv4 one (IPv4-compatible, NAT64 {@code 64:ff9b::/96}, 6to4 {@code
   * 2002::/16}) is judged by the IPv4 address it embeds.
   *
   * @param address any address
   * @return the reason it is not public, or null
   */
  static @Nullable String whyNotPublic(InetAddress address) {
    if (address.isAnyLocalAddress()) {
      return "an unspecified address";
    }
    if (address.isLoopbackAddress()) {
      return "a loopback address";
    }
    if (address.isLinkLocalAddress()) {
      return "a link-local address";
    }
    if (address.isSiteLocalAddress()) {
      return "a private address";
    }
    if (address.isMulticastAddress()) {
      return "a multicast address";
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      return whyNotPublicV4(b);
    }
    if (address instanceof Inet6Address) {
      if ((b[0] & 0xfe) == 0xfc) {
        return "a private address";
      }
      if (prefixZero(b, 12)) { // ::a.b.c.d, IPv4-compatible
        return whyNotPublicV4(new byte[] {b[12], b[13], b[14], b[15]});
      }
      if (b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b
          && prefixZero(b, 12, 4)) { // 64:ff9b::a.b.c.d, NAT64
        return whyNotPublicV4(new byte[] {b[12], b[13], b[14], b[15]});
      }
      if (b[0] == 0x20 && b[1] == 0x02) { // 2002:aabb:ccdd::, 6to4
        return whyNotPublicV4(new byte[] {b[2], b[3], b[4], b[5]});
      }
    }
    return null;
  }

  private static @Nullable String whyNotPublicV4(byte[] b) {
    int first = b[0] & 0xff;
    int second = b[1] & 0xff;
    if (first == 0) {
      return "an unspecified address";
    }
    if (first == 127) {
      return "a loopback address";
    }
    if (first == 169 && second == 254) {
      return "a link-local address";
    }
    if (first == 10 || first == 172 && (second & 0xf0) == 16 || first == 192 && second == 168) {
      return "a private address";
    }
    if (first == 100 && (second & 0xc0) == 64) {
      return "a shared (carrier-grade NAT) address";
    }
    if (first == 192 && second == 0 && b[2] == 0 || first == 198 && (second & 0xfe) == 18) {
      return "a reserved address";
    }
    if (first >= 224) {
      return first < 240 ? "a multicast address" : "a reserved address";
    }
    return null;
  }

  private static boolean prefixZero(byte[] b, int length) {
    return prefixZero(b, length, 0);
  }

  private static boolean prefixZero(byte[] b, int length, int from) {
    for (int i = from; i < length; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
