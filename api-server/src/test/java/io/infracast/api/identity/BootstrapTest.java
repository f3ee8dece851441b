package io.infracast.api.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.infracast.api.Application;
import io.infracast.api.Main;
import io.infracast.api.ServiceProcess;
import io.infracast.api.TestPostgres;
import io.infracast.api.platform.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The first system admin: a one-time password in the log of the first {@code migrate}, and never again. */
class BootstrapTest {
  @RegisterExtension
  static final TestPostgres pg = TestPostgres.perClass();
  private static final Pattern ONE_TIME = Pattern.compile("email=(\\S+) password=(\\S+?)\"");

  @Test
  void theFirstMigrateLogsAWorkingOneTimePasswordAndLaterRunsCreateNoOtherAdmin() throws Exception {
    String db = pg.createDatabase();
    Map<String, String> env = Map.of("DATABASE_URL", pg.postgresUrl(db));
    String output;
    try (ServiceProcess first = ServiceProcess.start(Main.class, env, "migrate")) {
      assertThat(first.awaitExit(Duration.ofSeconds(60))).as(first.allOutput()).isZero();
      output = String.join("\n", first.stdout());
    }
    Matcher m = ONE_TIME.matcher(output);
    assertThat(m.find()).as(output).isTrue();
    assertThat(m.group(1)).isEqualTo(IdentityService.DEFAULT_ADMIN_EMAIL);
    String password = m.group(2);

    try (ServiceProcess again = ServiceProcess.start(Main.class, env, "migrate")) {
      assertThat(again.awaitExit(Duration.ofSeconds(60))).isZero();
      assertThat(again.allOutput()).doesNotContain("created the first system admin");
    }

    try (Application app = Application.start(ConfigLoader.load(Map.of(
        "API_PORT", Integer.toString(TestPostgres.freeTcpPort()), "DATABASE_URL", pg.postgresUrl(db),
        "JWT_SECRET", "bootstrap-test-secret-0123456789-abcdefgh",
        "INFRACAST_BOOTSTRAP_ADMIN_EMAIL", "other@example.test",
        "INFRACAST_BOOTSTRAP_ADMIN_PASSWORD", "another-password-1",
        "MIGRATE_ON_START", "true"), ConfigLoader.Purpose.SERVE), List.of(), Duration.ofSeconds(10))) {
      HttpResponse<String> login = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + app.port() + "/api/v1/auth/token"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"admin@infracast.local\",\"password\":\"" + password
              + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
      assertThat(login.body()).contains("\"system_admin\":true");
      HttpResponse<String> other = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + app.port() + "/api/v1/auth/token"))
          .POST(HttpRequest.BodyPublishers.ofString(
              "{\"email\":\"other@example.test\",\"password\":\"another-password-1\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(other.statusCode()).as("settings do not add an admin once one exists").isEqualTo(401);
    }
  }
}
