package io.infracast.api.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.infracast.contract.DatabaseUrl;
import org.junit.jupiter.api.Test;

/** How the service hands a DATABASE_URL to the driver (the parsing itself is the runtime contract's). */
class DatabaseUrlDriverTest {

  @Test
  void thePasswordTravelsAsADriverPropertyNeverInTheJdbcUrl() {
    var url = DatabaseUrl.parse("postgres://vulcan:s3cr%2Ft@db.example.com:5432/infracast?sslmode=require");
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:5432/infracast?sslmode=require");
    var properties = Pools.driverProperties(url);
    assertThat(properties.getProperty("user")).isEqualTo("vulcan");
    assertThat(properties.getProperty("password")).isEqualTo("s3cr/t");
    assertThat(properties.getProperty("ApplicationName")).isEqualTo("infracast-api");
    assertThat(properties.getProperty("connectTimeout")).isEqualTo("3");
    assertThat(properties.getProperty("loginTimeout")).isEqualTo("5");
  }

  @Test
  void timeoutsFromTheUrlWin() {
    var url = DatabaseUrl.parse("postgres://u@h/db?connectTimeout=10&tcpKeepAlive=false");
    var properties = Pools.driverProperties(url);
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/db?connectTimeout=10&tcpKeepAlive=false");
    assertThat(properties.getProperty("connectTimeout")).as("the driver reads it from the URL").isNull();
    assertThat(properties.getProperty("tcpKeepAlive")).isNull();
    assertThat(properties.getProperty("password")).isNull();
  }
}
