package io.infracast.api.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infracast.api.assets.AssetsService;
import io.infracast.api.audit.AuditService;
import io.infracast.api.discovery.internal.CredentialSecrets;
import io.infracast.api.discovery.internal.CredentialVault;
import io.infracast.api.discovery.internal.JobRepository;
import io.infracast.api.discovery.internal.JobWorker;
import io.infracast.api.discovery.internal.ScheduleRepository;
import io.infracast.api.discovery.internal.ScheduleRunner;
import io.infracast.api.discovery.internal.WorkerSettings;
import io.infracast.api.platform.crypto.SecretCipher;
import io.infracast.api.platform.db.Transactions;
import io.infracast.api.platform.http.ApiException;
import io.infracast.api.platform.http.ErrorCode;
import io.infracast.api.platform.http.Page;
import io.infracast.api.platform.security.AuthContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The discovery domain's door: discovery jobs (create, list, read, cancel, follow their log), the credentials their
 * plugins get (sealed at rest), the schedules that create jobs on intervals, and the replica's job worker and
 * scheduler, which run them with the plugins of {@code PLUGIN_DIR} and write their results into the asset graph.
 * Every request runs in the caller's tenant transaction; every write is audited there.
 */
public final class DiscoveryService implements AutoCloseable {
  /** A plugin's name: the name of its executable in the plugin folder. */
  public static final Pattern PLUGIN_NAME = Pattern.compile("[a-z0-9-]{1,64}");
  public static final int MAX_PLUGINS = 20;
  /** Largest job config, as JSON. */
  public static final int MAX_CONFIG_BYTES = 64 * 1024;

  private final Transactions transactions;
  private final AuditService audit;
  private final Path pluginDir;
  private final WorkerSettings settings;
  private final JobWorker worker;
  private final ScheduleRunner scheduleRunner;
  private final CredentialVault vault;
  private final JobRepository repository = new JobRepository();
  private final ScheduleRepository schedules = new ScheduleRepository();
  private volatile boolean closed;

  /**
   * @param listeners told when a job ends
   * @param ready whether the schema is current (the worker waits until it is)
   * @param encryption seals credentials; without it the credential routes answer 503
   */
  public DiscoveryService(Transactions transactions, AuditService audit, AssetsService assets, Path pluginDir,
      List<JobCompletionListener> listeners, BooleanSupplier ready, Optional<SecretCipher> encryption) {
    this(transactions, audit, assets, pluginDir, listeners, ready, encryption, WorkerSettings.defaults());
  }

  /** With other worker settings (tests use short leases). */
  public DiscoveryService(Transactions transactions, AuditService audit, AssetsService assets, Path pluginDir,
      List<JobCompletionListener> listeners, BooleanSupplier ready, Optional<SecretCipher> encryption,
      WorkerSettings settings) {
    this.transactions = transactions;
    this.audit = audit;
    this.pluginDir = pluginDir;
    this.settings = settings;
    this.vault = new CredentialVault(encryption);
    this.worker = new JobWorker(transactions, audit, assets, pluginDir, settings, listeners, ready, vault);
    this.scheduleRunner = new ScheduleRunner(transactions, audit, vault, settings.schedulePoll(), ready,
        worker::wake);
  }

  /** Starts this replica's worker and scheduler. */
  public void start() {
    worker.start();
    scheduleRunner.start();
  }

  /** The worker's id, as jobs' logs name it. */
  public String workerId() {
    return worker.id();
  }

  /**
   * Creates a running job; this replica's worker (or another's) starts it at once.
   *
   * @param credentialId a credential of the tenant its plugins get (404 when there is none such)
   */
  public Job create(AuthContext auth, String name, List<String> plugins, ObjectNode config,
      Optional<UUID> credentialId) {
    checkPlugins(plugins);
    checkConfig(config);
    UUID id = UUID.randomUUID();
    Job job = transactions.inTenant(auth.tenantId(), c -> {
      checkCredential(c, credentialId);
      repository.insert(c, auth.tenantId(), id, name, plugins, config, credentialId.orElse(null),
          auth.caller().kind().wire(), auth.caller().id().toString());
      audit.record(c, auth.caller(), auth.tenantId(), "job.created", "job", id.toString(),
          Map.of("name", name, "plugins", plugins));
      return repository.job(c, id).orElseThrow();
    });
    worker.wake();
    return job;
  }

  public Map<String, Object> list(AuthContext auth, Optional<JobStatus> status, Optional<String> plugin, Page page) {
    return transactions.inTenant(auth.tenantId(), c -> {
      Map.Entry<List<Job>, Long> found = repository.jobs(c, status, plugin, page.perPage(), page.offset());
      return page.body(found.getKey(), found.getValue());
    });
  }

  public Job job(AuthContext auth, UUID id) {
    return transactions.inTenant(auth.tenantId(), c -> repository.job(c, id)).orElseThrow(() -> notFound(id));
  }

  /** Cancels a running job: its plugin's process tree is killed (on whichever replica runs it). 409 once ended. */
  public Job cancel(AuthContext auth, UUID id) {
    Job job = transactions.inTenant(auth.tenantId(), c -> {
      Job before = repository.job(c, id).orElseThrow(() -> notFound(id));
      if (!repository.cancel(c, id, "cancelled by " + auth.caller().kind().wire() + " " + auth.caller().id())) {
        throw new ApiException(ErrorCode.CONFLICT, "job " + id + " has already " + before.status().wire(),
            Map.of("status", before.status().wire()));
      }
      audit.record(c, auth.caller(), auth.tenantId(), "job.cancelled", "job", id.toString(), Map.of());
      return repository.job(c, id).orElseThrow();
    });
    worker.cancelled(id);
    worker.completed(auth.tenantId(), id, JobStatus.CANCELLED);
    return job;
  }

  /** Up to {@code limit} lines of the job's log after {@code afterSeq}. */
  public List<JobLogLine> log(AuthContext auth, UUID id, long afterSeq, int limit) {
    return transactions.inTenant(auth.tenantId(), c -> repository.log(c, id, afterSeq, limit));
  }

  // Credentials

  /**
   * Stores a credential, its secret sealed ({@link CredentialSecrets} checked it); 409 when the tenant has one of
   * that name, 503 without {@code ENCRYPTION_KEYS}.
   */
  public Credential createCredential(AuthContext auth, String name, String type, CredentialSecrets.Parsed secret) {
    vault.cipher();
    UUID id = UUID.randomUUID();
    try {
      return transactions.inTenant(auth.tenantId(), c -> {
        vault.insert(c, auth.tenantId(), id, name, type, secret.hint(), secret.secret(),
            auth.caller().kind().wire(), auth.caller().id().toString());
        audit.record(c, auth.caller(), auth.tenantId(), "credential.created", "credential", id.toString(),
            Map.of("name", name, "type", type));
        return vault.get(c, id).orElseThrow();
      });
    } catch (Transactions.DatabaseException e) {
      if (e.isUniqueViolation()) {
        throw new ApiException(ErrorCode.CONFLICT, "a credential named '" + name + "' exists already",
            Map.of("field", "name"));
      }
      throw e;
    }
  }

  public Map<String, Object> credentials(AuthContext auth, Page page) {
    return listed(auth, page, vault::list);
  }

  public Credential credential(AuthContext auth, UUID id) {
    return transactions.inTenant(auth.tenantId(), c -> vault.get(c, id)).orElseThrow(() -> credentialNotFound(id));
  }

  /**
   * Deletes a credential; 409 naming the schedules that run with it. Jobs that have not started yet with it fail
   * saying it was deleted.
   */
  public void deleteCredential(AuthContext auth, UUID id) {
    transactions.inTenant(auth.tenantId(), c -> {
      List<UUID> using = schedules.usingCredential(c, id);
      if (!using.isEmpty()) {
        throw new ApiException(ErrorCode.CONFLICT, "credential " + id + " is used by " + using.size()
            + " schedule(s): change or delete them first", Map.of("schedules", using.stream().map(UUID::toString)
            .toList()));
      }
      if (!vault.delete(c, id)) {
        throw credentialNotFound(id);
      }
      audit.record(c, auth.caller(), auth.tenantId(), "credential.deleted", "credential", id.toString(), Map.of());
      return null;
    });
  }

  // Schedules

  /** Creates a schedule; its first job is created at once (within a scheduler's poll), then every interval. */
  public Schedule createSchedule(AuthContext auth, ScheduleInput input) {
    checkPlugins(input.plugins());
    checkConfig(input.config());
    UUID id = UUID.randomUUID();
    return transactions.inTenant(auth.tenantId(), c -> {
      checkCredential(c, input.credentialId());
      schedules.insert(c, auth.tenantId(), id, input, auth.caller().kind().wire(), auth.caller().id().toString());
      audit.record(c, auth.caller(), auth.tenantId(), "schedule.created", "schedule", id.toString(),
          scheduleDetails(input));
      return schedules.get(c, id).orElseThrow();
    });
  }

  public Map<String, Object> schedules(AuthContext auth, Page page) {
    return listed(auth, page, schedules::list);
  }

  public Schedule schedule(AuthContext auth, UUID id) {
    return transactions.inTenant(auth.tenantId(), c -> schedules.get(c, id)).orElseThrow(() -> scheduleNotFound(id));
  }

  /** Replaces what a schedule is made of (see {@link ScheduleRepository#replace} for its next run). */
  public Schedule replaceSchedule(AuthContext auth, UUID id, ScheduleInput input) {
    checkPlugins(input.plugins());
    checkConfig(input.config());
    return transactions.inTenant(auth.tenantId(), c -> {
      checkCredential(c, input.credentialId());
      if (!schedules.replace(c, id, input)) {
        throw scheduleNotFound(id);
      }
      audit.record(c, auth.caller(), auth.tenantId(), "schedule.updated", "schedule", id.toString(),
          scheduleDetails(input));
      return schedules.get(c, id).orElseThrow();
    });
  }

  /** Deletes a schedule; the jobs it made stay. */
  public void deleteSchedule(AuthContext auth, UUID id) {
    transactions.inTenant(auth.tenantId(), c -> {
      if (!schedules.delete(c, id)) {
        throw scheduleNotFound(id);
      }
      audit.record(c, auth.caller(), auth.tenantId(), "schedule.deleted", "schedule", id.toString(), Map.of());
      return null;
    });
  }

  /** A page of a repository's list of the caller's tenant, with how many there are in all. */
  @FunctionalInterface
  private interface Lister {
    Map.Entry<? extends List<?>, Long> list(Connection c, int limit, int offset) throws SQLException;
  }

  private Map<String, Object> listed(AuthContext auth, Page page, Lister lister) {
    return transactions.inTenant(auth.tenantId(), c -> {
      Map.Entry<? extends List<?>, Long> found = lister.list(c, page.perPage(), page.offset());
      return page.body(found.getKey(), found.getValue());
    });
  }

  private static Map<String, Object> scheduleDetails(ScheduleInput input) {
    return Map.of("name", input.name(), "plugins", input.plugins(), "interval_seconds", input.intervalSeconds(),
        "enabled", input.enabled());
  }

  /**
   * A credential given by id must be the tenant's (another tenant's is invisible here: 404, as every foreign id);
   * 503 when this replica cannot open credentials.
   */
  private void checkCredential(Connection c, Optional<UUID> credentialId) throws SQLException {
    if (credentialId.isPresent()) {
      vault.cipher();
      if (vault.get(c, credentialId.get()).isEmpty()) {
        throw new ApiException(ErrorCode.NOT_FOUND, "credential " + credentialId.get() + " not found",
            Map.of("field", "credential_id"));
      }
    }
  }

  /** True once this replica is stopping: log streams end so that clients reconnect to another. */
  public boolean closing() {
    return closed;
  }

  /** Stops the scheduler and the worker; its running jobs are handed back to run on another replica. */
  @Override
  public void close() {
    closed = true;
    scheduleRunner.close();
    worker.close();
  }

  private void checkPlugins(List<String> plugins) {
    for (String p : plugins) {
      if (!PLUGIN_NAME.matcher(p).matches()) {
        throw new ApiException(ErrorCode.BAD_REQUEST, "plugin names are 1 to 64 of a-z, 0-9 and -, got '"
            + (p.length() > 100 ? p.substring(0, 100) + "..." : p) + "'", Map.of("field", "plugins"));
      }
      Path executable = pluginDir.resolve(p);
      if (!Files.isRegularFile(executable) || !Files.isExecutable(executable)) {
        throw new ApiException(ErrorCode.BAD_REQUEST, "unknown plugin '" + p + "': available are "
            + String.join(", ", available()), Map.of("field", "plugins", "reason", "unknown_plugin",
            "available", available()));
      }
    }
  }

  private void checkConfig(ObjectNode config) {
    if (config.toString().length() > MAX_CONFIG_BYTES) {
      throw new ApiException(ErrorCode.BAD_REQUEST, "config is larger than " + MAX_CONFIG_BYTES / 1024 + " KiB",
          Map.of("field", "config"));
    }
    JsonNode timeout = config.get("timeout_seconds");
    long max = settings.maxTimeout().toSeconds();
    if (timeout != null && (!timeout.canConvertToLong() || !timeout.isIntegralNumber() || timeout.asLong() < 1
        || timeout.asLong() > max)) {
      throw new ApiException(ErrorCode.BAD_REQUEST, "config.timeout_seconds must be a whole number from 1 to " + max,
          Map.of("field", "config.timeout_seconds", "max", max));
    }
  }

  /** The executables of the plugin folder, by name. */
  private List<String> available() {
    try (Stream<Path> files = Files.list(pluginDir)) {
      return files.filter(f -> Files.isRegularFile(f) && Files.isExecutable(f)).map(f -> f.getFileName().toString())
          .filter(n -> PLUGIN_NAME.matcher(n).matches()).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static ApiException notFound(UUID id) {
    return ApiException.notFound("job " + id + " not found");
  }

  private static ApiException credentialNotFound(UUID id) {
    return ApiException.notFound("credential " + id + " not found");
  }

  private static ApiException scheduleNotFound(UUID id) {
    return ApiException.notFound("schedule " + id + " not found");
  }
}
