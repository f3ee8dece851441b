package io.infracast.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

class DatabaseUrlTest {

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvFileSource(resources = "/database-urls.csv", numLinesToSkip = 1)
  void readsEveryFormOfTheTable(String input, boolean valid, String hosts, String database, String user,
      String password, String jdbcUrl, String error) {
    if (!valid) {
      var refused = assertThatThrownBy(() -> DatabaseUrl.parse(input)).as(input)
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("DATABASE_URL is not a valid PostgreSQL URL: ")
          .hasMessageContaining(error);
      if (password != null) {
        refused.hasMessageNotContaining(password);
      }
      return;
    }
    var url = DatabaseUrl.parse(input);
    assertThat(url.hosts()).isEqualTo(hosts);
    assertThat(url.database()).isEqualTo(database);
    assertThat(url.user()).isEqualTo(user);
    assertThat(url.password()).isEqualTo(password);
    assertThat(url.jdbcUrl()).isEqualTo(jdbcUrl);
    if (password != null) {
      assertThat(url.jdbcUrl()).doesNotContain(password);
      assertThat(url.redacted()).doesNotContain(password).contains(":****@");
      assertThat(url.toString()).isEqualTo(url.redacted());
    }
  }

  @Test
  void namesTheSourceItWasReadFrom() {
    assertThatThrownBy(() -> DatabaseUrl.parse("postgres://u:topsecret@h:0/db", "Secret tenant/db key URL"))
        .hasMessage("Secret tenant/db key URL is not a valid PostgreSQL URL: the port is out of range 1-65535;"
            + " expected postgres://user:password@host:5432/dbname?sslmode=require"
            + " or jdbc:postgresql://host:5432/dbname");
  }

  @Test
  void keepsQueryParametersForTheDriverButNotTheCredentials() {
    var url = DatabaseUrl.parse("postgres://app:secret-pw@db/app?sslmode=require&user=svc&password=other-pw");
    assertThat(url.parameters()).containsExactly(java.util.Map.entry("sslmode", "require"));
    assertThat(url.user()).isEqualTo("svc");
    assertThat(url.password()).isEqualTo("other-pw");
    assertThat(url.redacted()).isEqualTo("postgresql://svc:****@db:5432/app?sslmode=require");
  }

  @Test
  void writesTheWholeUrlBackSoThatItReadsTheSame() {
    var url = DatabaseUrl.of("db.example.com", 5433, "infracast", "infracast", "p@ss/word:1");
    var written = url.withCredentials();
    assertThat(written).isEqualTo("postgresql://infracast:p%40ss%2Fword%3A1@db.example.com:5433/infracast");
    var read = DatabaseUrl.parse(written);
    assertThat(read.password()).isEqualTo("p@ss/word:1");
    assertThat(read.hosts()).isEqualTo("db.example.com:5433");
  }
}
