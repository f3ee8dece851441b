package io.infracast.api.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.infracast.api.TestApi;
import io.infracast.api.TestPostgres;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The login throttle behind a load balancer ({@code TRUSTED_PROXIES}): the test client connects over loopback, so
 * it plays the balancer for a service that trusts 127.0.0.1 and an arbitrary client for one that trusts nobody.
 */
class ForwardedLoginTest {
  private static final String SECRET = "forwarded-test-secret-0123456789-abcdefghijkl";
  private static final String ADMIN = "root@example.test";
  private static final String PASSWORD = "bootstrap-password-1";

  @RegisterExtension
  static final TestPostgres pg = TestPostgres.perClass();
  private static TestApi behindProxy;
  private static TestApi direct;

  @BeforeAll
  static void start() {
    behindProxy = TestApi.start(pg, pg.createDatabase(), SECRET, ADMIN, PASSWORD,
        Map.of("TRUSTED_PROXIES", "127.0.0.1/32,::1"));
    direct = TestApi.start(pg, SECRET, ADMIN, PASSWORD);
  }

  @AfterAll
  static void stop() {
    for (TestApi api : new TestApi[] {behindProxy, direct}) {
      if (api != null) {
        api.close();
      }
    }
  }

  @Test
  void aFloodFromOneForwardedClientDoesNotLockOutAnother() throws Exception {
    flood(behindProxy, "203.0.113.1");
    assertThat(login(behindProxy, PASSWORD, "203.0.113.1").statusCode()).isEqualTo(429);
    // Prepending an address of its choice does not move the flooding client out of its window.
    assertThat(login(behindProxy, PASSWORD, "198.51.100.50, 203.0.113.1").statusCode()).isEqualTo(429);
    assertThat(login(behindProxy, PASSWORD, "203.0.113.2").statusCode()).isEqualTo(200);
  }

  @Test
  void aForwardedForFromAnUntrustedPeerIsIgnored() throws Exception {
    flood(direct, "203.0.113.1");
    HttpResponse<String> spoofed = login(direct, PASSWORD, "203.0.113.2");
    assertThat(spoofed.statusCode()).isEqualTo(429);
    assertThat(TestApi.error(spoofed)).isEqualTo("RATE_LIMITED");
  }

  /** Failed logins until the throttle's limit, each forwarded for {@code client}. */
  private static void flood(TestApi api, String client) throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(login(api, "not-the-password", client).statusCode()).isEqualTo(401);
    }
  }

  private static HttpResponse<String> login(TestApi api, String password, String forwardedFor) throws Exception {
    return api.send("POST", "/api/v1/auth/token", null,
        TestApi.JSON.writeValueAsString(Map.of("email", ADMIN, "password", password)),
        Map.of("X-Forwarded-For", forwardedFor));
  }
}
