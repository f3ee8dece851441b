package io.infracast.api;

import static net.logstash.logback.argument.StructuredArguments.kv;

import com.zaxxer.hikari.HikariDataSource;
import io.infracast.api.platform.config.AppConfig;
import io.infracast.api.platform.crypto.LocalKeys;
import io.infracast.api.platform.crypto.SecretCipher;
import io.infracast.api.platform.db.DatabaseHealth;
import io.infracast.api.platform.db.EmbeddedDatabase;
import io.infracast.api.platform.db.Migrator;
import io.infracast.api.platform.db.Pools;
import io.infracast.api.platform.db.SchemaReadiness;
import io.infracast.api.platform.db.Transactions;
import io.infracast.api.platform.http.ApiModule;
import io.infracast.api.platform.http.HttpServer;
import io.infracast.api.assets.AssetsModule;
import io.infracast.api.assets.AssetsService;
import io.infracast.api.audit.AuditModule;
import io.infracast.api.audit.AuditService;
import io.infracast.api.compliance.ComplianceModule;
import io.infracast.api.compliance.ComplianceService;
import io.infracast.api.discovery.DiscoveryModule;
import io.infracast.api.discovery.DiscoveryService;
import io.infracast.api.discovery.JobCompletionListener;
import io.infracast.api.evidence.EvidenceModule;
import io.infracast.api.evidence.EvidenceService;
import io.infracast.api.identity.IdentityModule;
import io.infracast.api.identity.IdentityService;
import io.infracast.api.integrations.IntegrationsModule;
import io.infracast.api.integrations.IntegrationsService;
import io.infracast.api.meta.MetaModule;
import io.infracast.api.meta.MetaService;
import io.infracast.contract.DatabaseUrl;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: starts the kernel (database, pool, metrics, HTTP) and constructs each domain's module with
 * what it needs. The only class that knows both the kernel and the domains.
 */
public final class Application implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Application.class);
  /** How soon a pod whose schema is behind notices that the migration Job has run. */
  private static final Duration SCHEMA_CHECK_EVERY = Duration.ofSeconds(2);

  private final EmbeddedDatabase embedded;
  private final HikariDataSource pool;
  private final DatabaseHealth health;
  private final SchemaReadiness schema;
  private final JvmGcMetrics gcMetrics;
  private final DiscoveryService discovery;
  private final HttpServer http;
  /** What the domains started besides their routes (the rule packs' watcher), closed before the pool. */
  private final List<AutoCloseable> domainResources;

  private Application(
      EmbeddedDatabase embedded, HikariDataSource pool, DatabaseHealth health, SchemaReadiness schema,
      JvmGcMetrics gc, DiscoveryService discovery, HttpServer http, List<AutoCloseable> domainResources) {
    this.embedded = embedded;
    this.pool = pool;
    this.health = health;
    this.schema = schema;
    this.gcMetrics = gc;
    this.discovery = discovery;
    this.http = http;
    this.domainResources = domainResources;
  }

  /** The domains' modules, and the discovery service, whose job worker runs beside the HTTP server. */
  private record Domains(List<ApiModule> modules, DiscoveryService discovery) {}

  /**
   * The domains, each given what it needs by construction. A domain that needs another gets that domain's
   * service (its only door) from the module built before it.
   */
  private static Domains domains(AppConfig config, HikariDataSource pool, DatabaseHealth health,
      SchemaReadiness schema, PrometheusMeterRegistry registry, List<AutoCloseable> resources) {
    MetaModule meta = new MetaModule(new MetaService(Main.version(), health, schema::notReadyReason), registry);
    Transactions transactions = new Transactions(pool);
    AuditService audit = new AuditService(transactions);
    // Read once: discovery's credentials and the webhooks' secrets are sealed with the same keys.
    Optional<SecretCipher> encryption = encryption(config);
    IdentityModule identity = new IdentityModule(transactions, audit, config.jwtSecret(), Clock.systemUTC(),
        config.trustedProxies());
    AssetsService assets = new AssetsService(transactions, audit);
    EvidenceService evidence = new EvidenceService(transactions, config.artifacts(), evidenceSigningKey(config),
        Clock.systemUTC());
    resources.add(evidence);
    // Evidence is signed after every evaluation, whether a job or a caller started it.
    ComplianceService compliance = new ComplianceService(transactions, audit, assets, config.rulesDir(),
        config.rulesReload(), List.of(evidence::record));
    resources.add(compliance);
    // The brief: "When a job finishes, compliance rules are re-evaluated": whatever its end, since nodes are written
    // in batches as a plugin delivers them, so a job that failed or was cancelled may have changed the graph too.
    List<JobCompletionListener> jobListeners = List.of((tenant, job, status) -> compliance.evaluateTenant(tenant));
    DiscoveryService discovery = new DiscoveryService(transactions, audit, assets, config.pluginDir(), jobListeners,
        () -> schema.notReadyReason().isEmpty(), encryption);
    // Webhooks: the events the domains above publish in the outbox, sent by this replica's dispatcher.
    IntegrationsService integrations = new IntegrationsService(transactions, audit, encryption,
        config.webhooks(), () -> schema.notReadyReason().isEmpty());
    resources.add(integrations);
    integrations.start();
    return new Domains(List.of(meta, identity, new AuditModule(audit, identity.service()),
        new AssetsModule(assets, identity.service()), new DiscoveryModule(discovery, identity.service()),
        new ComplianceModule(compliance, identity.service()), new EvidenceModule(evidence, identity.service()),
        new IntegrationsModule(integrations, identity.service())), discovery);
  }

  /**
   * The keys that seal stored secrets: {@code ENCRYPTION_KEYS}, or for a local run (embedded database) a key kept in
   * the data folder; empty with an external database and no setting (those features then answer 503).
   */
  static Optional<SecretCipher> encryption(AppConfig config) {
    return config.encryption().or(() -> config.embeddedDatabase()
        ? Optional.of(LocalKeys.encryption(config.dataDir()))
        : Optional.empty());
  }

  /** {@code EVIDENCE_SIGNING_KEY}, or for a local run a key kept in the data folder (see {@link LocalKeys}). */
  static Optional<PrivateKey> evidenceSigningKey(AppConfig config) {
    return config.evidenceSigningKey().or(() -> config.embeddedDatabase()
        ? Optional.of(LocalKeys.evidenceSigning(config.dataDir()))
        : Optional.empty());
  }

  /** After migrating: the first system admin, when the database has none. */
  static void bootstrap(AppConfig config, HikariDataSource pool) {
    Transactions transactions = new Transactions(pool);
    IdentityService.bootstrapAdmin(transactions, new AuditService(transactions), config.bootstrapAdmin());
  }

  /**
   * Starts everything; on failure closes what was started and rethrows.
   *
   * @param connectFor how long startup migration keeps retrying an unreachable database
   */
  public static Application start(AppConfig config, List<ApiModule> extraModules, Duration connectFor) {
    EmbeddedDatabase embedded = null;
    HikariDataSource pool = null;
    DatabaseHealth health = null;
    SchemaReadiness schema = null;
    JvmGcMetrics gc = null;
    DiscoveryService discovery = null;
    List<AutoCloseable> domainResources = new ArrayList<>();
    try {
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      registry.config().commonTags("service", "infracast-api");
      new ClassLoaderMetrics().bindTo(registry);
      new JvmMemoryMetrics().bindTo(registry);
      gc = new JvmGcMetrics();
      gc.bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new ProcessorMetrics().bindTo(registry);
      new UptimeMetrics().bindTo(registry);
      new FileDescriptorMetrics().bindTo(registry);

      embedded = EmbeddedDatabase.startUnlessConfigured(config);
      DatabaseUrl url = embedded == null ? config.database().orElseThrow() : embedded.url();
      log.info("database", kv("url", url.redacted()), kv("embedded", embedded != null));
      pool = Pools.create(url, "api", 10, registry);

      if (config.migrateOnStart()) {
        try {
          new Migrator(url, pool).migrate(connectFor);
          bootstrap(config, pool);
        } catch (Migrator.SchemaTooNewException e) {
          // Normal during a rolling update: a newer release already migrated. Serve with the schema as it is.
          log.warn("{} Serving with the existing schema.", e.getMessage());
        }
      } else {
        Pools.checkLogin(url);
        log.info("MIGRATE_ON_START is false: not migrating (the operator's migration Job does it)");
      }

      health = new DatabaseHealth(pool, Duration.ofMillis(1_200), Duration.ofMillis(500));
      // Not ready while the schema lacks a migration of this binary (the Job has not run yet).
      schema = SchemaReadiness.watch(new Migrator(url, pool), SCHEMA_CHECK_EVERY);
      Domains domains = domains(config, pool, health, schema, registry, domainResources);
      discovery = domains.discovery();
      List<ApiModule> modules = new ArrayList<>(domains.modules());
      modules.addAll(extraModules);
      HttpServer http = HttpServer.start(config.port(), config.contentCdnOrigin(), registry, modules);
      discovery.start();
      log.info("serving", kv("port", http.port()), kv("version", Main.version()));
      return new Application(embedded, pool, health, schema, gc, discovery, http, domainResources);
    } catch (RuntimeException e) {
      closeQuietly(discovery);
      domainResources.forEach(Application::closeQuietly);
      closeQuietly(schema);
      closeQuietly(health);
      closeQuietly(pool);
      closeQuietly(gc);
      closeQuietly(embedded);
      throw e;
    }
  }

  public int port() {
    return http.port();
  }

  /** The registered HTTP routes, {@code METHOD /path}. */
  public List<String> routes() {
    return http.routes();
  }

  /**
   * Graceful stop: the job worker hands its jobs back (and job log streams end, clients reconnect elsewhere), HTTP
   * drains (up to 30 s), then the pool and the embedded database close.
   */
  @Override
  public void close() {
    log.info("shutting down: no new connections, draining in-flight requests",
        kv("drain_timeout_s", HttpServer.DRAIN_TIMEOUT.toSeconds()));
    closeQuietly(discovery);
    closeQuietly(http);
    domainResources.forEach(Application::closeQuietly);
    closeQuietly(schema);
    closeQuietly(health);
    closeQuietly(pool);
    closeQuietly(gcMetrics);
    closeQuietly(embedded);
    log.info("shutdown complete");
  }

  static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      log.warn("error while closing {}: {}", c.getClass().getSimpleName(), e.getMessage());
    }
  }
}
