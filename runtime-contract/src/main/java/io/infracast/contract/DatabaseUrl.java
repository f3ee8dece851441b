package io.infracast.contract;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A parsed {@code DATABASE_URL}, the one reading of it that the operator (to check a user's Secret) and the
 * service (to connect) share. Accepts the libpq form {@code postgres://user:pass@host:5432/db?sslmode=require}
 * (also {@code postgresql://}) and the JDBC form {@code jdbc:postgresql://host:5432/db?user=u&password=p}, with
 * several hosts ({@code h1:5432,h2:5432}), bracketed IPv6 addresses, percent-encoded parts and a raw {@code @}
 * in the password.
 *
 * <p>The password is kept out of {@link #jdbcUrl()}, {@link #redacted()} and every error message: it travels only
 * through {@link #password()}, so nothing that logs a JDBC URL (Flyway, HikariCP, the driver) can print it.
 */
public final class DatabaseUrl {
  public static final int DEFAULT_PORT = 5432;

  private static final String EXPECTED =
      "expected postgres://user:password@host:5432/dbname?sslmode=require or jdbc:postgresql://host:5432/dbname";
  private static final List<String> SCHEMES = List.of("jdbc:postgresql://", "postgresql://", "postgres://");
  /** A scheme is named back in errors; anything longer or odder is not (it may be a pasted password). */
  private static final Pattern SHOWABLE_SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.:-]{0,24}://");
  private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9._-]+");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9._-]+)?");
  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

  private final List<Endpoint> endpoints;
  private final String database;
  private final String user;
  private final String password;
  private final Map<String, String> parameters;

  private DatabaseUrl(List<Endpoint> endpoints, String database, String user, String password,
      Map<String, String> parameters) {
    this.endpoints = List.copyOf(endpoints);
    this.database = database;
    this.user = user;
    this.password = password;
    this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  /** One host of the URL, with the port filled in. */
  private record Endpoint(String host, int port) {
    @Override
    public String toString() {
      return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
  }

  /** The reason a URL is refused; becomes a {@link ConfigException} naming where the URL came from. */
  private static final class Invalid extends RuntimeException {
    Invalid(String reason) {
      super(reason, null, false, false);
    }
  }

  /** Parses the service's {@code DATABASE_URL} setting. */
  public static DatabaseUrl parse(String raw) {
    return parse(raw, RuntimeSettings.DATABASE_URL);
  }

  /**
   * Parses a URL read from {@code source} (a setting, or a Secret's key), which the error message names. The
   * message never echoes the input, which may hold a password.
   */
  public static DatabaseUrl parse(String raw, String source) {
    try {
      return parseOrRefuse(raw);
    } catch (Invalid e) {
      throw new ConfigException(source + " is not a valid PostgreSQL URL: " + e.getMessage() + "; " + EXPECTED);
    }
  }

  private static DatabaseUrl parseOrRefuse(String raw) {
    if (raw == null || raw.isBlank()) {
      throw new Invalid("it is empty");
    }
    String s = raw.trim();
    String rest = withoutScheme(s);

    int slash = rest.indexOf('/');
    if (slash < 0) {
      throw new Invalid("no database name (.../dbname)");
    }
    // user:password@ is everything up to the last '@' before the path: a password may contain a raw '@'.
    int at = rest.lastIndexOf('@', slash);
    String pathAndQuery = rest.substring(slash + 1);
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
    if (at < 0 && path.indexOf('@') >= 0) {
      throw new Invalid("the user name or password contains a '/', which must be percent-encoded as %2F");
    }
    List<Endpoint> endpoints = endpoints(rest.substring(at + 1, slash));

    String database = decode(path, "the database name");
    if (database.isEmpty()) {
      throw new Invalid("no database name (.../dbname)");
    }
    if (database.contains("/")) {
      throw new Invalid("the database name contains '/'");
    }

    String user = null;
    String password = null;
    if (at >= 0) {
      String userInfo = rest.substring(0, at);
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon), "the user name");
      password = colon < 0 ? null : decode(userInfo.substring(colon + 1), "the password");
    }

    Map<String, String> parameters = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq), "a query parameter");
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1), "a query parameter");
      switch (key) {
        case "user" -> user = value;
        case "password" -> password = value;
        default -> parameters.put(key, value);
      }
    }
    if (user == null || user.isEmpty()) {
      throw new Invalid("no user name (postgres://USER:password@host/dbname)");
    }
    return new DatabaseUrl(endpoints, database, user, password, parameters);
  }

  private static String withoutScheme(String s) {
    String lower = s.toLowerCase(Locale.ROOT);
    for (String scheme : SCHEMES) {
      if (lower.startsWith(scheme)) {
        return s.substring(scheme.length());
      }
    }
    var scheme = SHOWABLE_SCHEME.matcher(s);
    throw new Invalid(scheme.lookingAt() ? "unsupported scheme " + scheme.group() : "unsupported scheme");
  }

  private static List<Endpoint> endpoints(String hostList) {
    if (hostList.isEmpty()) {
      throw new Invalid("no host");
    }
    List<Endpoint> endpoints = new ArrayList<>();
    // -1 keeps trailing empty entries, so "h1," is refused rather than read as "h1".
    for (String hostPort : hostList.split(",", -1)) {
      endpoints.add(endpoint(hostPort));
    }
    return endpoints;
  }

  private static Endpoint endpoint(String hostPort) {
    String host;
    String port = null;
    if (hostPort.startsWith("[")) {
      int end = hostPort.indexOf(']');
      if (end < 0) {
        throw new Invalid("unterminated IPv6 address");
      }
      host = hostPort.substring(1, end);
      String after = hostPort.substring(end + 1);
      if (!after.isEmpty()) {
        if (!after.startsWith(":")) {
          throw new Invalid("malformed host");
        }
        port = after.substring(1);
      }
      if (!IPV6.matcher(host).matches()) {
        throw new Invalid("malformed IPv6 address");
      }
    } else {
      int colon = hostPort.indexOf(':');
      if (colon != hostPort.lastIndexOf(':')) {
        throw new Invalid("an IPv6 address must be in [brackets]");
      }
      host = colon < 0 ? hostPort : hostPort.substring(0, colon);
      port = colon < 0 ? null : hostPort.substring(colon + 1);
      if (host.isEmpty()) {
        throw new Invalid(hostPort.isEmpty() ? "an empty entry in the host list" : "no host");
      }
      if (!HOST_NAME.matcher(host).matches()) {
        throw new Invalid("malformed host (letters, digits, '.', '-' and '_' only; IPv6 in [brackets])");
      }
    }
    if (port == null) {
      return new Endpoint(host, DEFAULT_PORT);
    }
    if (!PORT.matcher(port).matches()) {
      throw new Invalid("the port is not a number");
    }
    int number = Integer.parseInt(port);
    if (number < 1 || number > 65535) {
      throw new Invalid("the port is out of range 1-65535");
    }
    return new Endpoint(host, number);
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
        int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
        int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
        if (hi < 0 || lo < 0) {
          throw new Invalid("bad percent-encoding in " + what + " (a literal '%' is written %25)");
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

  /** hosts/database?parameters, encoded: the part after the scheme and credentials, safe to log. */
  private String location() {
    StringBuilder b = new StringBuilder(hosts()).append('/').append(encode(database));
    char sep = '?';
    for (Map.Entry<String, String> e : parameters.entrySet()) {
      b.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
      sep = '&';
    }
    return b.toString();
  }

  /** JDBC URL without user and password (those travel as driver properties). */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + location();
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

  /** {@code host:port} of every host, comma-separated, ports filled in: safe to log and to show in status. */
  public String hosts() {
    return endpoints.stream().map(Endpoint::toString).collect(Collectors.joining(","));
  }

  /** The query parameters for the driver ({@code sslmode}, ...), without user and password. */
  public Map<String, String> parameters() {
    return parameters;
  }

  /** The URL with the password masked: safe to log. */
  public String redacted() {
    return "postgresql://" + encode(user) + (password == null ? "" : ":****") + "@" + location();
  }

  /**
   * The whole URL, password included, in the libpq form: only for writing into a Secret (the operator composes
   * the DATABASE_URL of a database it provisioned). Everything else uses {@link #redacted()}.
   */
  public String withCredentials() {
    return "postgresql://" + encode(user) + (password == null ? "" : ":" + encode(password)) + "@" + location();
  }

  /** Builds one for a local server (embedded PostgreSQL, tests). */
  public static DatabaseUrl of(String host, int port, String database, String user, String password) {
    return new DatabaseUrl(List.of(new Endpoint(host, port)), database, user, password, Map.of());
  }

  @Override
  public String toString() {
    return redacted();
  }
}
