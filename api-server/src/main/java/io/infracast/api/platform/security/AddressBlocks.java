package io.infracast.api.platform.security;

import io.infracast.contract.ConfigException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A list of IP address blocks from a setting ({@code 10.0.0.0/16,fd00::/8}; a bare address is a block of one):
 * the proxies of {@code TRUSTED_PROXIES}, the webhook targets of {@code WEBHOOK_ALLOWED_NETWORKS}.
 */
public final class AddressBlocks {
  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  private final List<Block> blocks;

  private AddressBlocks(List<Block> blocks) {
    this.blocks = blocks;
  }

  static final AddressBlocks NONE = new AddressBlocks(List.of());

  /** Parses the setting {@code name}; an entry that is not an address or a CIDR block is a {@link ConfigException}. */
  public static AddressBlocks parse(String name, String setting) {
    List<Block> blocks = new ArrayList<>();
    for (String entry : setting.split(",")) {
      if (!entry.isBlank()) {
        blocks.add(Block.parse(name, entry.trim()));
      }
    }
    return new AddressBlocks(List.copyOf(blocks));
  }

  public boolean isEmpty() {
    return blocks.isEmpty();
  }

  /** Whether a block holds the address (4 or 16 bytes). */
  public boolean contains(byte[] address) {
    return blocks.stream().anyMatch(b -> b.contains(address));
  }

  public boolean contains(InetAddress address) {
    return contains(address.getAddress());
  }

  /**
   * An IPv4 or IPv6 literal ({@code [..]} and a {@code %zone} allowed), never a host name: nothing here may cause
   * a DNS lookup, whatever a header or a URL says.
   */
  public static Optional<byte[]> literal(String text) {
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

  static String text(byte[] address) {
    try {
      return InetAddress.getByAddress(address).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not 4 or 16 bytes", e);
    }
  }

  @Override
  public String toString() {
    return blocks.isEmpty() ? "none" : String.join(",", blocks.stream().map(Block::toString).toList());
  }

  /** An address block: {@code network/prefix}. */
  private record Block(byte[] network, int prefix) {
    static Block parse(String setting, String entry) {
      int slash = entry.indexOf('/');
      Optional<byte[]> address = literal(slash < 0 ? entry : entry.substring(0, slash));
      if (address.isEmpty()) {
        throw invalid(setting, entry, "is not an IP address or CIDR block");
      }
      int bits = address.get().length * 8;
      int prefix = bits;
      if (slash >= 0) {
        String p = entry.substring(slash + 1);
        prefix = p.matches("\\d{1,3}") ? Integer.parseInt(p) : -1;
        if (prefix < 0 || prefix > bits) {
          throw invalid(setting, entry, "has a prefix length outside 0-" + bits);
        }
      }
      Block block = new Block(address.get(), prefix);
      if (!Arrays.equals(block.masked(address.get()), address.get())) {
        throw invalid(setting, entry, "has bits set after the prefix (did you mean "
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

    private static ConfigException invalid(String setting, String entry, String why) {
      return new ConfigException(setting + ": \"" + entry + "\" " + why
          + " (expected addresses or CIDR blocks separated by commas, for example 10.0.0.0/16,fd00::/8)");
    }

    @Override
    public String toString() {
      return text(network) + "/" + prefix;
    }
  }
}
