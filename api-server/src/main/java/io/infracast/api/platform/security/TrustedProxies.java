package io.infracast.api.platform.security;

import io.infracast.contract.ConfigException;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who the client is when the service sits behind a load balancer or an ingress ({@code TRUSTED_PROXIES}: addresses
 * and CIDR blocks, comma-separated). There every connection comes from the proxy, so the login throttle would see
 * one address for everybody. {@code X-Forwarded-For} is read only when the direct peer is a trusted proxy, and then
 * the right-most address in it that is not itself a trusted proxy is the client: each proxy appends the address it
 * was connected from, so everything further left was written by the client and may be made up. With no trusted
 * proxies the header is ignored and the socket's peer is the client.
 */
public final class TrustedProxies {
  public static final String SETTING = "TRUSTED_PROXIES";
  public static final TrustedProxies NONE = new TrustedProxies(List.of());

  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  private final List<Block> blocks;

  private TrustedProxies(List<Block> blocks) {
    this.blocks = blocks;
  }

  /** Parses the setting; a value that is not an address or a CIDR block is a {@link ConfigException} naming it. */
  public static TrustedProxies parse(String setting) {
    List<Block> blocks = new ArrayList<>();
    for (String entry : setting.split(",")) {
      if (!entry.isBlank()) {
        blocks.add(Block.parse(entry.trim()));
      }
    }
    return new TrustedProxies(List.copyOf(blocks));
  }

  /** The client's address for this request (see the class comment). */
  public String clientAddress(Context ctx) {
    return clientAddress(ctx.ip(), Collections.list(ctx.req().getHeaders("X-Forwarded-For")));
  }

  /**
   * @param peer the socket's remote address
   * @param forwardedFor the {@code X-Forwarded-For} header lines in order (several lines read as one list)
   */
  public String clientAddress(String peer, List<String> forwardedFor) {
    Optional<byte[]> peerAddress = literal(peer);
    if (peerAddress.isEmpty() || !trusted(peerAddress.get())) {
      return peer;
    }
    List<String> hops = new ArrayList<>();
    forwardedFor.forEach(line -> Arrays.stream(line.split(",")).map(String::trim).filter(h -> !h.isEmpty())
        .forEach(hops::add));
    String client = peer;
    for (int i = hops.size() - 1; i >= 0; i--) {
      Optional<byte[]> hop = literal(hops.get(i));
      if (hop.isEmpty()) {
        break; // not an address: keep the last hop a trusted proxy vouched for
      }
      client = text(hop.get());
      if (!trusted(hop.get())) {
        break;
      }
    }
    return client;
  }

  private boolean trusted(byte[] address) {
    return blocks.stream().anyMatch(b -> b.contains(address));
  }

  @Override
  public String toString() {
    return blocks.isEmpty() ? "none" : String.join(",", blocks.stream().map(Block::toString).toList());
  }

  /**
   * An IPv4 or IPv6 literal ({@code [..]} and a {@code %zone} allowed), never a host name: nothing here may cause
   * a DNS lookup, whatever a header says.
   */
  static Optional<byte[]> literal(String text) {
    String s = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    int zone = s.indexOf('%');
    s = zone >= 0 ? s.substring(0, zone) : s;
    Matcher v4 = IPV4.matcher(s);
    if (v4.matches()) {
      byte[] out = new byte[4];
      for (int i = 0; i < 4; i++) {
        int octet = Integer.parseInt(v4.group(i + 1));
        if (octet > 255) {
          return Optional.empty();
        }
        out[i] = (byte) octet;
      }
      return Optional.of(out);
    }
    if (!IPV6_CHARS.matcher(s).matches()) {
      return Optional.empty();
    }
    try {
      // Only hex digits, ':' and '.' with a ':' among them: parsed as an IPv6 literal, never looked up.
      return Optional.of(InetAddress.getByName(s).getAddress());
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  private static String text(byte[] address) {
    try {
      return InetAddress.getByAddress(address).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not 4 or 16 bytes", e);
    }
  }

  /** An address block: {@code network/prefix}; a bare address is a block of one. */
  private record Block(byte[] network, int prefix) {
    static Block parse(String entry) {
      int slash = entry.indexOf('/');
      Optional<byte[]> address = literal(slash < 0 ? entry : entry.substring(0, slash));
      if (address.isEmpty()) {
        throw invalid(entry, "is not an IP address or CIDR block");
      }
      int bits = address.get().length * 8;
      int prefix = bits;
      if (slash >= 0) {
        String p = entry.substring(slash + 1);
        prefix = p.matches("\\d{1,3}") ? Integer.parseInt(p) : -1;
        if (prefix < 0 || prefix > bits) {
          throw invalid(entry, "has a prefix length outside 0-" + bits);
        }
      }
      Block block = new Block(address.get(), prefix);
      if (!Arrays.equals(block.masked(address.get()), address.get())) {
        throw invalid(entry, "has bits set after the prefix (did you mean "
            + text(block.masked(address.get())) + "/" + prefix + "?)");
      }
      return block;
    }

    boolean contains(byte[] address) {
      return address.length == network.length && Arrays.equals(masked(address), masked(network));
    }

    private byte[] masked(byte[] address) {
      byte[] out = address.clone();
      for (int i = 0; i < out.length; i++) {
        int keep = Math.max(0, Math.min(8, prefix - i * 8));
        out[i] &= (byte) (0xff << (8 - keep));
      }
      return out;
    }

    private static ConfigException invalid(String entry, String why) {
      return new ConfigException(SETTING + ": \"" + entry + "\" " + why
          + " (expected addresses or CIDR blocks separated by commas, for example 10.0.0.0/16,fd00::/8)");
    }

    @Override
    public String toString() {
      return text(network) + "/" + prefix;
    }
  }
}
