package io.infracast.api;

import com.zaxxer.hikari.HikariDataSource;
import io.infracast.api.platform.config.AppConfig;
import io.infracast.api.platform.config.ConfigLoader;
import io.infracast.api.platform.db.EmbeddedDatabase;
import io.infracast.api.platform.db.Migrator;
import io.infracast.api.platform.db.Pools;
import io.infracast.api.platform.http.ApiModule;
import io.infracast.api.platform.logging.SecretMasker;
import io.infracast.contract.ConfigException;
import io.infracast.contract.DatabaseUrl;
import io.infracast.contract.RuntimeSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar infracast-api-server.jar [serve|migrate]}.
 *
 * <p>Exit codes: 0 done; 1 runtime failure (database unreachable after retries, migration failed, port in use);
 * 2 bad configuration or usage; 3 the database schema is newer than this binary (migrate refused).
 */
public final class Main {
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILURE = 1;
  public static final int EXIT_CONFIG = 2;
  public static final int EXIT_SCHEMA_TOO_NEW = 3;

  /** Seconds to keep retrying an unreachable database: {@code DB_CONNECT_RETRY_SECONDS}. */
  static final int DEFAULT_MIGRATE_RETRY_SECONDS = 20;

  static final int DEFAULT_SERVE_RETRY_SECONDS = 60;

  private static final String USAGE = "usage: infracast-api [serve|migrate] (serve is the default)";

  private Main() {}

  public static void main(String[] args) {
    int code = run(args, System.getenv(), List.of());
    if (code != EXIT_OK || !isServe(args)) {
      System.exit(code);
    }
    // serve: Jetty's threads keep the JVM alive; SIGTERM runs the shutdown hook.
  }

  private static boolean isServe(String[] args) {
    return args.length == 0 || args[0].equals("serve");
  }

  /** Runs a command; for serve returns once the server is listening. Extra modules are for tests. */
  public static int run(String[] args, Map<String, String> env, List<ApiModule> extraModules) {
    Logger log = LoggerFactory.getLogger(Main.class);
    String command = args.length == 0 ? "serve" : args[0];
    if (command.equals("-h") || command.equals("--help") || command.equals("help")) {
      System.out.println(USAGE);
      return EXIT_OK;
    }
    if (args.length > 1 || !(command.equals("serve") || command.equals("migrate"))) {
      return fail(log, EXIT_CONFIG, "unknown command '" + String.join(" ", args) + "'; " + USAGE);
    }
    boolean serve = command.equals("serve");
    AppConfig config;
    int retrySeconds;
    try {
      config = ConfigLoader.load(env, serve ? ConfigLoader.Purpose.SERVE : ConfigLoader.Purpose.MIGRATE);
      retrySeconds = retrySeconds(env, serve);
    } catch (ConfigException e) {
      return fail(log, EXIT_CONFIG, e.getMessage());
    }
    config.database().ifPresent(d -> SecretMasker.register(d.password()));
    SecretMasker.register(config.jwtSecret());
    config.bootstrapAdmin().flatMap(AppConfig.BootstrapAdmin::password).ifPresent(SecretMasker::register);
    if (config.jwtSecretGenerated()) {
      log.warn("JWT_SECRET is not set: generated a random one for this run (embedded local mode only; "
          + "sessions do not survive a restart)");
    }
    log.info("starting infracast-api {} ({})", command, config);
    return serve ? serve(log, config, retrySeconds, extraModules) : migrate(log, config, retrySeconds);
  }

  private static int retrySeconds(Map<String, String> env, boolean serve) {
    String v = env.get(RuntimeSettings.DB_CONNECT_RETRY_SECONDS);
    if (v == null || v.isBlank()) {
      return serve ? DEFAULT_SERVE_RETRY_SECONDS : DEFAULT_MIGRATE_RETRY_SECONDS;
    }
    try {
      int s = Integer.parseInt(v.trim());
      if (s >= 0 && s <= 3600) {
        return s;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new ConfigException("DB_CONNECT_RETRY_SECONDS must be a number of seconds between 0 and 3600");
  }

  private static int serve(Logger log, AppConfig config, int retrySeconds, List<ApiModule> extraModules) {
    Application app;
    try {
      app = Application.start(config, extraModules, Duration.ofSeconds(retrySeconds));
    } catch (RuntimeException e) {
      return failure(log, e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      app.close();
      // SIGTERM is the normal way to stop a pod or a task: exit 0 once drained, not the JVM's 143.
      Runtime.getRuntime().halt(EXIT_OK);
    }, "graceful-shutdown"));
    return EXIT_OK;
  }

  private static int migrate(Logger log, AppConfig config, int retrySeconds) {
    EmbeddedDatabase embedded = null;
    HikariDataSource pool = null;
    RuntimeException failure = null;
    try {
      embedded = EmbeddedDatabase.startUnlessConfigured(config);
      DatabaseUrl url = embedded == null ? config.database().orElseThrow() : embedded.url();
      pool = Pools.create(url, "migrate", 3, null);
      new Migrator(url, pool).migrate(Duration.ofSeconds(retrySeconds));
      Application.bootstrap(config, pool);
    } catch (RuntimeException e) {
      failure = e;
    } finally {
      Application.closeQuietly(pool);
      Application.closeQuietly(embedded);
    }
    return failure == null ? EXIT_OK : failure(log, failure);
  }

  /** Maps a failure to its exit code and reports it as one line. */
  private static int failure(Logger log, RuntimeException e) {
    if (e instanceof ConfigException) {
      return fail(log, EXIT_CONFIG, e.getMessage());
    }
    if (e instanceof Migrator.SchemaTooNewException) {
      return fail(log, EXIT_SCHEMA_TOO_NEW, e.getMessage());
    }
    log.debug("failure detail", e);
    String message = e instanceof Migrator.DatabaseUnreachableException ? e.getMessage()
        : e.getClass().getName().startsWith("org.flywaydb") ? "migration failed: " + e.getMessage()
        : e.getClass().getSimpleName().equals("JavalinBindException") ? "cannot listen: " + e.getMessage()
        : "startup failed: " + e.getMessage();
    return fail(log, EXIT_FAILURE, message);
  }

  /** One line on stderr (plain) and the same line as the last JSON log event on stdout. */
  private static int fail(Logger log, int code, String message) {
    String line = SecretMasker.mask(oneLine(message));
    log.error(line);
    System.err.println("infracast-api: " + line);
    System.err.flush();
    return code;
  }

  static String oneLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    String collapsed = s.replaceAll("\\s*[\\r\\n]+[-\\s]*", " | ").trim();
    return collapsed.length() > 600 ? collapsed.substring(0, 600) + "..." : collapsed;
  }

  public static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
