package io.infracast.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad input as a real process: one line naming the setting, exit 2, no stack trace, no secret. */
class MainTest {
  @Test
  void shortJwtSecretExitsTwoWithOneLine() {
    try (ServiceProcess p = ServiceProcess.start(Main.class, Map.of(
        "DATABASE_URL", "postgres://app:Sup3r-Secret-Pw@127.0.0.1:5432/app", "JWT_SECRET", "short-but-secret"),
        "serve")) {
      assertThat(p.awaitExit(Duration.ofSeconds(30))).isEqualTo(Main.EXIT_CONFIG);
      assertThat(p.stderr()).containsExactly(
          "infracast-api: JWT_SECRET is too short (16 bytes): it must be at least 32 bytes of random data");
      assertThat(p.stdout()).hasSize(1);
      assertThat(p.stdout().get(0)).contains("\"level\":\"ERROR\"").contains("JWT_SECRET is too short");
      assertThat(p.allOutput()).doesNotContain("Sup3r-Secret-Pw").doesNotContain("short-but-secret")
          .doesNotContain("\tat ");
    }
  }

  @Test
  void badPortAndBadUrlAndUnknownCommandInProcess() {
    assertThat(Main.run(new String[] {"serve"}, Map.of("API_PORT", "eighty"), java.util.List.of()))
        .isEqualTo(Main.EXIT_CONFIG);
    assertThat(Main.run(new String[] {"migrate"}, Map.of("DATABASE_URL", "postgres://nope"), java.util.List.of()))
        .isEqualTo(Main.EXIT_CONFIG);
    assertThat(Main.run(new String[] {"frobnicate"}, Map.of(), java.util.List.of())).isEqualTo(Main.EXIT_CONFIG);
    assertThat(Main.run(new String[] {"serve"}, Map.of("TRUSTED_PROXIES", "10.0.0.0/40"), java.util.List.of()))
        .isEqualTo(Main.EXIT_CONFIG);
  }

  @Test
  void oneLineCollapsesMultiLineMessages() {
    assertThat(Main.oneLine("Migration V2__x.sql failed\n-----------\nSQL State  : 42P07\nMessage    : boom"))
        .isEqualTo("Migration V2__x.sql failed | SQL State  : 42P07 | Message    : boom");
  }
}
