package io.infracast.api.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
  /** An ALB subnet and an ingress controller's pod range, as an operator would set them. */
  private static final TrustedProxies PROXIES = TrustedProxies.parse("10.0.0.0/16,100.64.0.0/10,fd00::/8");

  @Test
  void withoutTrustedProxiesTheHeaderIsIgnored() {
    assertThat(TrustedProxies.NONE.clientAddress("10.0.3.4", List.of("203.0.113.9"))).isEqualTo("10.0.3.4");
  }

  @Test
  void anUntrustedPeerCannotNameAnotherClient() {
    assertThat(PROXIES.clientAddress("198.51.100.7", List.of("203.0.113.9"))).isEqualTo("198.51.100.7");
  }

  @Test
  void theRightMostAddressThatIsNoProxyIsTheClient() {
    // The client made up the first two entries; the ALB appended the client, the ingress appended the ALB.
    assertThat(PROXIES.clientAddress("100.64.1.2", List.of("10.0.0.1, 1.2.3.4, 203.0.113.9, 10.0.5.6")))
        .isEqualTo("203.0.113.9");
    // Several header lines read as one list, in order.
    assertThat(PROXIES.clientAddress("100.64.1.2", List.of("1.2.3.4, 203.0.113.9", "10.0.5.6")))
        .isEqualTo("203.0.113.9");
    assertThat(PROXIES.clientAddress("fd00::1", List.of("2001:db8::5"))).isEqualTo("2001:db8:0:0:0:0:0:5");
  }

  @Test
  void withoutAUsableHeaderTheLastTrustedHopIsTheClient() {
    assertThat(PROXIES.clientAddress("10.0.0.9", List.of())).isEqualTo("10.0.0.9");
    assertThat(PROXIES.clientAddress("10.0.0.9", List.of("10.0.1.1, 10.0.2.2"))).isEqualTo("10.0.1.1");
    // Not an address (nor ever looked up as a host name): the hop to its right is as far as trust reaches.
    assertThat(PROXIES.clientAddress("10.0.0.9", List.of("203.0.113.9, localhost, 10.0.2.2")))
        .isEqualTo("10.0.2.2");
    assertThat(PROXIES.clientAddress("10.0.0.9", List.of("unknown"))).isEqualTo("10.0.0.9");
  }

  @Test
  void literalsOnly() {
    assertThat(AddressBlocks.literal("[::1]")).get().satisfies(a -> assertThat(a).hasSize(16));
    assertThat(AddressBlocks.literal("fe80::1%eth0")).isPresent();
    assertThat(AddressBlocks.literal("::ffff:10.0.0.1")).get().satisfies(a -> assertThat(a).hasSize(4));
    for (String notOne : List.of("example.com", "cafe", "1.2.3", "1.2.3.256", "1:2:3", "", "::g")) {
      assertThat(AddressBlocks.literal(notOne)).as(notOne).isEmpty();
    }
  }
}
