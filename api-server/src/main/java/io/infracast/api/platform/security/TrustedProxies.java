package io.infracast.api.platform.security;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

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
  public static final TrustedProxies NONE = new TrustedProxies(AddressBlocks.NONE);

  private final AddressBlocks blocks;

  private TrustedProxies(AddressBlocks blocks) {
    this.blocks = blocks;
  }

  /** Parses the setting; a value that is not an address or a CIDR block stops the start, naming it. */
  public static TrustedProxies parse(String setting) {
    return new TrustedProxies(AddressBlocks.parse(SETTING, setting));
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
    Optional<byte[]> peerAddress = AddressBlocks.literal(peer);
    if (peerAddress.isEmpty() || !trusted(peerAddress.get())) {
      return peer;
    }
    List<String> hops = new ArrayList<>();
    forwardedFor.forEach(line -> Arrays.stream(line.split(",")).map(String::trim).filter(h -> !h.isEmpty())
        .forEach(hops::add));
    String client = peer;
    for (int i = hops.size() - 1; i >= 0; i--) {
      Optional<byte[]> hop = AddressBlocks.literal(hops.get(i));
      if (hop.isEmpty()) {
        break; // not an address: keep the last hop a trusted proxy vouched for
      }
      client = AddressBlocks.text(hop.get());
      if (!trusted(hop.get())) {
        break;
      }
    }
    return client;
  }

  private boolean trusted(byte[] address) {
    return blocks.contains(address);
  }

  @Override
  public String toString() {
    return blocks.toString();
  }
}
