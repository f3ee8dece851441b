package io.infracast.api.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infracast.api.assets.AssetsService;
import io.infracast.api.audit.AuditService;
import io.infracast.api.discovery.internal.JobRepository;
import io.infracast.api.discovery.internal.JobWorker;
import io.infracast.api.discovery.internal.WorkerSettings;
import io.infracast.api.platform.db.Transactions;
import io.infracast.api.platform.http.ApiException;
import io.infracast.api.platform.http.ErrorCode;
import io.infracast.api.platform.http.Page;
import io.infracast.api.platform.security.AuthContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The discovery domain's door: discovery jobs (create, list, read, cancel, follow their log) and the replica's
 * job worker, which runs them with the plugins of {@code PLUGIN_DIR} and writes their results into the asset
 * graph. Every request runs in the caller's tenant transaction; every write is audited there.
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
  private final JobRepository repository = new JobRepository();
  private volatile boolean closed;

  /**
   * @param listeners told when a job ends
   * @param ready whether the schema is current (the worker waits until it is)
   */
  public DiscoveryService(Transactions transactions, AuditService audit, AssetsService assets, Path pluginDir,
      List<JobCompletionListener> listeners, BooleanSupplier ready) {
    this(transactions, audit, assets, pluginDir, listeners, ready, WorkerSettings.defaults());
  }

  /** With other worker settings (tests use short leases). */
  public DiscoveryService(Transactions transactions, AuditService audit, AssetsService assets, Path pluginDir,
      List<JobCompletionListener> listeners, BooleanSupplier ready, WorkerSettings settings) {
    this.transactions = transactions;
    this.audit = audit;
    this.pluginDir = pluginDir;
    this.settings = settings;
    this.worker = new JobWorker(transactions, audit, assets, pluginDir, settings, listeners, ready);
  }

  /** Starts this replica's worker. */
  public void start() {
    worker.start();
  }

  /** The worker's id, as jobs' logs name it. */
  public String workerId() {
    return worker.id();
  }

  /** Creates a running job; this replica's worker (or another's) starts it at once. */
  public Job create(AuthContext auth, String name, List<String> plugins, ObjectNode config) {
    checkPlugins(plugins);
    checkConfig(config);
    UUID id = UUID.randomUUID();
    Job job = transactions.inTenant(auth.tenantId(), c -> {
      repository.insert(c, auth.tenantId(), id, name, plugins, config, auth.caller());
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

  /** True once this replica is stopping: log streams end so that clients reconnect to another. */
  public boolean closing() {
    return closed;
  }

  /** Stops the worker; its running jobs are handed back to run on another replica. */
  @Override
  public void close() {
    closed = true;
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
}
