package io.infracast.api.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Whatever a library logs, registered secrets come out as ****: messages, arguments, exceptions. */
class SecretMaskerTest {
  @Test
  void registeredSecretsAreMaskedEverywhereInTheJsonLog() {
    String password = "pw-" + System.nanoTime() + "-Zq9";
    SecretMasker.register(password);
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      var log = LoggerFactory.getLogger("some.library");
      log.info("connecting to postgres://app:" + password + "@db/x");
      log.warn("retrying {}", "password=" + password);
      log.error("failed", new IllegalStateException("login with " + password + " refused"));
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("postgres://app:****@db/x").contains("password=****").contains("login with **** refused");
    assertThat(out).doesNotContain(password);
  }
}
