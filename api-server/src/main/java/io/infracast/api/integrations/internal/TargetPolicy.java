package io.infracast.api.integrations.internal;

import io.infracast.api.platform.security.AddressBlocks;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where webhooks may be sent (server-side request forgery): a tenant admin chooses the URL, the service makes the
 * request from inside its network. With {@code WEBHOOK_ALLOWED_NETWORKS} unset only public addresses are allowed:
 * never loopback, private (RFC 1918, fc00::/7), link-local (169.254.0.0/16 with the cloud metadata endpoint,
 * fe80::/10), shared (100.64.0.0/10), multicast, unspecified or documentation/benchmark ranges. When it is set,
 * exactly its blocks are allowed (a receiver inside the VPC, or loopback in tests). A URL naming an address is
 * checked when it is stored; a host name is resolved and every address it has checked before each attempt.
 */
public final class TargetPolicy {
  public static final int MAX_URL_CHARS = 2048;
  private static final AddressBlocks NOT_PUBLIC = AddressBlocks.parse("non-public ranges", String.join(",",
      "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
      "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/3",
      "::/127", "64:ff9b::/96", "100::/64", "2001:db8::/32", "fc00::/7", "fe80::/10", "ff00::/8"));

  private final Optional<AddressBlocks> allowed;

  public TargetPolicy(Optional<AddressBlocks> allowed) {
    this.allowed = allowed;
  }

  /** Why a URL or an address may not be a webhook's target (a 400 at creation; a failed delivery later). */
  public static final class Refused extends Exception {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The URL as it will be used: absolute {@code http} or {@code https}, a host, no user information or fragment,
   * and, when the host is an address (or {@code localhost}), an allowed one. Never looks a name up.
   */
  public URI check(String url) throws Refused {
    if (url.length() > MAX_URL_CHARS) {
      throw new Refused("is longer than " + MAX_URL_CHARS + " characters");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new Refused("is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new Refused("must be an absolute http:// or https:// URL");
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
      throw new Refused("must name a host (a DNS name or an IP address), without user information or a fragment");
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    Optional<byte[]> literal = host.equals("localhost") || host.endsWith(".localhost")
        ? Optional.of(new byte[] {127, 0, 0, 1}) : AddressBlocks.literal(host);
    if (literal.isPresent()) {
      checkAddress(literal.get(), host);
    }
    return uri;
  }

  /** Resolves the URL's host and checks each of its addresses (before each attempt: DNS answers change). */
  URI resolve(String url) throws Refused, UnknownHostException {
    URI uri = check(url);
    for (InetAddress address : InetAddress.getAllByName(uri.getHost())) {
      checkAddress(address.getAddress(), uri.getHost());
    }
    return uri;
  }

  private void checkAddress(byte[] address, String host) throws Refused {
    boolean ok = allowed.map(a -> a.contains(address)).orElseGet(() -> !NOT_PUBLIC.contains(address));
    if (!ok) {
      String text;
      try {
        text = InetAddress.getByAddress(address).getHostAddress();
      } catch (UnknownHostException e) {
        text = host;
      }
      throw new Refused("targets " + (text.equals(host) ? text : host + " (" + text + ")") + ", which "
          + allowed.map(a -> "is outside WEBHOOK_ALLOWED_NETWORKS (" + a + ")")
              .orElse("is not a public address (set WEBHOOK_ALLOWED_NETWORKS to allow private receivers)"));
    }
  }
}
