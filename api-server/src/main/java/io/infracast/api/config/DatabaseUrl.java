package io.infracast.api.config;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * A parsed {@code DATABASE_URL}. Accepts the libpq/Heroku form {@code postgres://user:pass@host:5432/db?sslmode=require}
 * (also {@code postgresql://}) and the JDBC form {@code jdbc:postgresql://host:5432/db?user=u&password=p}.
 *
 * <p>The password is kept out of {@link #jdbcUrl()} and out of {@link #toString()}: it travels only in the
 * connection properties, so nothing that logs a JDBC URL (Flyway, HikariCP, the driver) can print it.
 */
public final class DatabaseUrl {
  private static final String SETTING = "DATABASE_URL";
  private static final String EXPECTED =
      "expected postgres://user:password@host:5432/dbname?sslmode=require or jdbc:postgresql://host:5432/dbname";

  private final String hosts;
  private final String database;
  private final String user;
  private final String password;
  private final Map<String, String> params;

  private DatabaseUrl(String hosts, String database, String user, String password, Map<String, String> params) {
    this.hosts = hosts;
    this.database = database;
    this.user = user;
    this.password = password;
    this.params = params;
  }

  /** Parses a DATABASE_URL; the exception message never echoes the input (it may hold a password). */
  public static DatabaseUrl parse(String raw) {
    if (raw == null || raw.isBlank()) {
      throw invalid("it is empty");
    }
    String s = raw.trim();
    String lower = s.toLowerCase(Locale.ROOT);
    String rest;
    if (lower.startsWith("jdbc:postgresql://")) {
      rest = s.substring("jdbc:postgresql://".length());
    } else if (lower.startsWith("postgresql://")) {
      rest = s.substring("postgresql://".length());
    } else if (lower.startsWith("postgres://")) {
      rest = s.substring("postgres://".length());
    } else {
      throw invalid("unsupported scheme");
    }

    // user:password@ is everything up to the last '@' before the path (a password may contain '@').
    String userInfo = null;
    int slash = rest.indexOf('/');
    int at = rest.lastIndexOf('@', slash < 0 ? rest.length() - 1 : slash);
    if (at >= 0) {
      userInfo = rest.substring(0, at);
      rest = rest.substring(at + 1);
      slash = rest.indexOf('/');
    }
    String hostPart = slash < 0 ? rest : rest.substring(0, slash);
    String pathAndQuery = slash < 0 ? "" : rest.substring(slash + 1);
    validateHosts(hostPart);

    String path = pathAndQuery;
    String query = "";
    int q = pathAndQuery.indexOf('?');
    if (q >= 0) {
      path = pathAndQuery.substring(0, q);
      query = pathAndQuery.substring(q + 1);
    }
    String database = decode(path, "the database name");
    if (database.isEmpty()) {
      throw invalid("no database name (.../dbname)");
    }
    if (database.contains("/")) {
      throw invalid("the database name contains '/'");
    }

    String user = null;
    String password = null;
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon), "the user name");
      password = colon < 0 ? null : decode(userInfo.substring(colon + 1), "the password");
    }

    Map<String, String> params = new LinkedHashMap<>();
    if (!query.isEmpty()) {
      for (String pair : query.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String key = decode(eq < 0 ? pair : pair.substring(0, eq), "a query parameter");
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1), "a query parameter");
        if (key.equals("user")) {
          user = value;
        } else if (key.equals("password")) {
          password = value;
        } else {
          params.put(key, value);
        }
      }
    }
    if (user == null || user.isEmpty()) {
      throw invalid("no user name (postgres://USER:password@host/dbname)");
    }
    return new DatabaseUrl(hostPart, database, user, password, params);
  }

  private static void validateHosts(String hostPart) {
    if (hostPart.isEmpty()) {
      throw invalid("no host");
    }
    for (String hostPort : hostPart.split(",")) {
      String host = hostPort;
      String port = null;
      if (hostPort.startsWith("[")) {
        int end = hostPort.indexOf(']');
        if (end < 0) {
          throw invalid("unterminated IPv6 address");
        }
        host = hostPort.substring(1, end);
        String after = hostPort.substring(end + 1);
        if (!after.isEmpty()) {
          if (!after.startsWith(":")) {
            throw invalid("malformed host");
          }
          port = after.substring(1);
        }
      } else {
        int colon = hostPort.lastIndexOf(':');
        if (colon >= 0) {
          host = hostPort.substring(0, colon);
          port = hostPort.substring(colon + 1);
        }
      }
      if (host.isEmpty() || !host.matches("[A-Za-z0-9._:%-]+")) {
        throw invalid("malformed host");
      }
      if (port != null) {
        int p;
        try {
          p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
          throw invalid("the port is not a number");
        }
        if (p < 1 || p > 65535) {
          throw invalid("the port is out of range 1-65535");
        }
      }
    }
  }

  private static ConfigException invalid(String why) {
    return new ConfigException(SETTING + " is not a valid PostgreSQL URL: " + why + "; " + EXPECTED);
  }

  /** Percent-decoding as in URLs ('+' stays '+', unlike form decoding). */
  private static String decode(String s, String what) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          throw invalid("bad percent-encoding in " + what);
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw invalid("bad percent-encoding in " + what);
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String encode(String s) {
    StringBuilder b = new StringBuilder();
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
        b.append((char) c);
      } else {
        b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return b.toString();
  }

  /** JDBC URL without user and password (those go in {@link #connectionProperties()}). */
  public String jdbcUrl() {
    StringBuilder b = new StringBuilder("jdbc:postgresql://").append(hosts).append('/').append(encode(database));
    char sep = '?';
    for (Map.Entry<String, String> e : params.entrySet()) {
      b.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
      sep = '&';
    }
    return b.toString();
  }

  /** Driver properties: user, password and the fixed timeouts that keep health checks from hanging. */
  public Properties connectionProperties() {
    Properties p = new Properties();
    p.setProperty("user", user);
    if (password != null) {
      p.setProperty("password", password);
    }
    p.setProperty("ApplicationName", "infracast-api");
    if (!params.containsKey("connectTimeout")) {
      p.setProperty("connectTimeout", "3");
    }
    if (!params.containsKey("loginTimeout")) {
      p.setProperty("loginTimeout", "5");
    }
    if (!params.containsKey("tcpKeepAlive")) {
      p.setProperty("tcpKeepAlive", "true");
    }
    return p;
  }

  public String user() {
    return user;
  }

  /** The password, or null. Never log it. */
  public String password() {
    return password;
  }

  public String database() {
    return database;
  }

  public String hosts() {
    return hosts;
  }

  /** The URL with the password masked: safe to log. */
  public String redacted() {
    StringBuilder b = new StringBuilder("postgresql://").append(encode(user));
    if (password != null) {
      b.append(":****");
    }
    b.append('@').append(hosts).append('/').append(encode(database));
    char sep = '?';
    for (Map.Entry<String, String> e : params.entrySet()) {
      b.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
      sep = '&';
    }
    return b.toString();
  }

  /** Builds one for a local server (embedded PostgreSQL, tests). */
  public static DatabaseUrl of(String host, int port, String database, String user, String password) {
    return new DatabaseUrl(host + ":" + port, database, user, password, new LinkedHashMap<>());
  }

  @Override
  public String toString() {
    return redacted();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DatabaseUrl d
        && d.hosts.equals(hosts)
        && d.database.equals(database)
        && d.user.equals(user)
        && Objects.equals(d.password, password)
        && d.params.equals(params);
  }

  @Override
  public int hashCode() {
    return Objects.hash(hosts, database, user, password, params);
  }
}
