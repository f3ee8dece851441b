package io.infracast.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.infracast.api.config.ConfigException;
import io.infracast.api.config.DatabaseUrl;
import org.junit.jupiter.api.Test;

class DatabaseUrlTest {
  @Test
  void libpqForm() {
    DatabaseUrl u = DatabaseUrl.parse("postgres://vulcan:s3cr%2Ft@db.example.com:5432/infracast?sslmode=require");
    assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:5432/infracast?sslmode=require");
    assertThat(u.user()).isEqualTo("vulcan");
    assertThat(u.password()).isEqualTo("s3cr/t");
    assertThat(u.connectionProperties().getProperty("password")).isEqualTo("s3cr/t");
    assertThat(u.connectionProperties().getProperty("connectTimeout")).isEqualTo("3");
    assertThat(u.redacted()).isEqualTo("postgresql://vulcan:****@db.example.com:5432/infracast?sslmode=require");
    assertThat(u.toString()).doesNotContain("s3cr");
  }

  @Test
  void postgresqlSchemeDefaultPortAndAtSignInPassword() {
    DatabaseUrl u = DatabaseUrl.parse("postgresql://app:p@ss@localhost/app");
    assertThat(u.password()).isEqualTo("p@ss");
    assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost/app");
  }

  @Test
  void jdbcFormWithCredentialsInQuery() {
    DatabaseUrl u = DatabaseUrl.parse("jdbc:postgresql://10.0.0.5:6432/infracast?user=svc&password=pw%26x&sslmode=verify-full");
    assertThat(u.user()).isEqualTo("svc");
    assertThat(u.password()).isEqualTo("pw&x");
    assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://10.0.0.5:6432/infracast?sslmode=verify-full");
    assertThat(u.redacted()).doesNotContain("pw");
  }

  @Test
  void ipv6AndMultipleHosts() {
    assertThat(DatabaseUrl.parse("postgres://u:p@[::1]:5432/db").jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5432/db");
    assertThat(DatabaseUrl.parse("postgres://u:p@h1:5432,h2:5433/db?targetServerType=primary").jdbcUrl())
        .isEqualTo("jdbc:postgresql://h1:5432,h2:5433/db?targetServerType=primary");
  }

  @Test
  void rejectsWithoutEchoingTheInput() {
    String[] bad = {
        "", "http://u:topsecret@h/db", "postgres://u:topsecret@/db", "postgres://u:topsecret@h:99999/db",
        "postgres://u:topsecret@h:5432", "postgres://u:topsecret@h:5432/", "postgres://h:5432/db",
        "postgres://u:top%zzsecret@h/db", "postgres://u:topsecret@h a/db"
    };
    for (String b : bad) {
      assertThatThrownBy(() -> DatabaseUrl.parse(b)).as(b)
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("DATABASE_URL is not a valid PostgreSQL URL: ")
          .hasMessageNotContaining("topsecret")
          .hasMessageNotContaining("zzsecret");
    }
  }
}
