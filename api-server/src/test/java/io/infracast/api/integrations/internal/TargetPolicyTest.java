package io.infracast.api.integrations.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.infracast.api.platform.security.AddressBlocks;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where webhooks may be sent, without any request or DNS lookup: only URLs naming addresses are decided here. */
class TargetPolicyTest {
  private static final TargetPolicy PUBLIC_ONLY = new TargetPolicy(Optional.empty());
  private static final TargetPolicy LOOPBACK_ONLY = new TargetPolicy(Optional.of(
      AddressBlocks.parse("WEBHOOK_ALLOWED_NETWORKS", "127.0.0.0/8")));

  @Test
  void byDefaultOnlyPublicAddressesAreAllowed() throws Exception {
    for (String ok : List.of("https://203.0.114.7/hook", "http://8.8.8.8:8080/x?token=a", "https://[2606:4700::1]/",
        "https://hooks.example.com/path")) {
      assertThat(PUBLIC_ONLY.check(ok).toString()).isEqualTo(ok);
    }
    for (String refused : List.of("http://127.0.0.1/", "http://localhost:8080/", "http://api.localhost/",
        "http://10.0.0.5/", "http://172.16.3.4/", "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/", "http://0.0.0.0/", "http://[::1]/", "http://[::]/", "http://[fd00::1]/",
        "http://[fe80::1]/", "http://[::ffff:10.0.0.1]/", "http://224.0.0.1/", "http://255.255.255.255/",
        "http://192.0.2.1/", "http://[64:ff9b::a00:1]/")) {
      assertThatThrownBy(() -> PUBLIC_ONLY.check(refused)).as(refused).isInstanceOf(TargetPolicy.Refused.class)
          .hasMessageContaining("is not a public address");
    }
  }

  @Test
  void anAllowListReplacesTheDefault() throws Exception {
    assertThat(LOOPBACK_ONLY.check("http://127.0.0.1:9000/hook").getPort()).isEqualTo(9000);
    assertThat(LOOPBACK_ONLY.check("http://localhost/hook").getHost()).isEqualTo("localhost");
    assertThatThrownBy(() -> LOOPBACK_ONLY.check("http://8.8.8.8/")).isInstanceOf(TargetPolicy.Refused.class)
        .hasMessage("targets 8.8.8.8, which is outside WEBHOOK_ALLOWED_NETWORKS (127.0.0.0/8)");
  }

  @Test
  void onlyAbsoluteHttpUrlsWithAHostAndNoCredentials() {
    for (String bad : List.of("", "hooks.example.com/x", "ftp://8.8.8.8/", "file:///etc/passwd", "javascript:alert(1)",
        "http:///nohost", "http://user:pw@8.8.8.8/", "http://8.8.8.8/#frag", "http://under_score.example/",
        "http://8.8.8.8/ space", "https://" + "a".repeat(TargetPolicy.MAX_URL_CHARS))) {
      assertThatThrownBy(() -> PUBLIC_ONLY.check(bad)).as(bad).isInstanceOf(TargetPolicy.Refused.class);
    }
  }
}
