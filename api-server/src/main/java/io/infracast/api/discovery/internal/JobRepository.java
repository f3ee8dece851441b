package io.infracast.api.discovery.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infracast.api.discovery.Job;
import io.infracast.api.discovery.JobLogLine;
import io.infracast.api.discovery.JobStatus;
import io.infracast.api.platform.db.Sql;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The SQL of discovery jobs. Methods taking a tenant's connection run under row-level security; the worker's
 * claim, renew, release and sweep statements span tenants and run as the login user.
 */
public final class JobRepository {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COLUMNS = "id, name, plugins, config::text, status, error, nodes, edges, "
      + "created_by_type, created_by, created_at, started_at, finished_at, attempts, credential_id";

  /** A job a worker has claimed: what it needs to run it. */
  public record Claimed(UUID id, UUID tenantId, String tenantSlug, List<String> plugins, ObjectNode config,
      UUID credentialId, int attempt, String previousWorker) {}

  /** A job a sweep failed, and why. */
  public record Ended(UUID tenantId, UUID jobId, String error) {}

  /**
   * Inserts a running job.
   *
   * @param createdByType {@code user} or {@code api_key} (the caller's kind), or {@code schedule}
   * @param credentialId the credential its plugins get; null for none
   */
  public void insert(Connection c, UUID tenant, UUID id, String name, List<String> plugins, ObjectNode config,
      UUID credentialId, String createdByType, String createdBy) throws SQLException {
    Sql.update(c, "insert into discovery_jobs (id, tenant_id, name, plugins, config, credential_id, status, "
            + "created_by_type, created_by) values (?, ?, ?, ?, ?::jsonb, ?, 'running', ?, ?)",
        id, tenant, name, c.createArrayOf("text", plugins.toArray()), config.toString(), credentialId, createdByType,
        createdBy);
  }

  public Optional<Job> job(Connection c, UUID id) throws SQLException {
    return Sql.one(c, "select " + COLUMNS + " from discovery_jobs where id = ?", JobRepository::job, id);
  }

  /** A page of jobs, newest first, and how many match in all. */
  public Map.Entry<List<Job>, Long> jobs(Connection c, Optional<JobStatus> status, Optional<String> plugin,
      int limit, int offset) throws SQLException {
    String where = " where (?::text is null or status = ?) and (?::text is null or ? = any(plugins))";
    String s = status.map(JobStatus::wire).orElse(null);
    String p = plugin.orElse(null);
    long total = Sql.one(c, "select count(*) from discovery_jobs" + where, rs -> rs.getLong(1), s, s, p, p)
        .orElse(0L);
    List<Job> items = Sql.list(c, "select " + COLUMNS + " from discovery_jobs" + where
        + " order by created_at desc, id limit ? offset ?", JobRepository::job, s, s, p, p, limit, offset);
    return Map.entry(items, total);
  }

  /** Cancels a running job; false when it is not running (or not there). */
  public boolean cancel(Connection c, UUID id, String reason) throws SQLException {
    return Sql.update(c, "update discovery_jobs set status = 'cancelled', error = ?, finished_at = now(), "
        + "lease_expires_at = null where id = ? and status = 'running'", reason, id) == 1;
  }

  /** Appends lines ({level, source, message}) to the job's log, in the order given. */
  public void appendLog(Connection c, UUID tenant, UUID job, List<String[]> lines) throws SQLException {
    Sql.update(c, "insert into discovery_job_log (tenant_id, job_id, level, source, message) "
            + "select ?, ?, l, s, m from unnest(?::text[], ?::text[], ?::text[]) with ordinality as x(l, s, m, n) "
            + "order by n",
        tenant, job, column(c, lines, 0), column(c, lines, 1), column(c, lines, 2));
  }

  private static Array column(Connection c, List<String[]> rows, int i) throws SQLException {
    return c.createArrayOf("text", rows.stream().map(r -> r[i]).toArray());
  }

  /** Up to {@code limit} lines of the job's log after {@code afterSeq}, in order. */
  public List<JobLogLine> log(Connection c, UUID job, long afterSeq, int limit) throws SQLException {
    return Sql.list(c, "select seq, at, level, source, message from discovery_job_log where job_id = ? and seq > ? "
        + "order by seq limit ?", rs -> new JobLogLine(rs.getLong(1), Sql.instant(rs, "at"), rs.getString(3),
            rs.getString(4), rs.getString(5)), job, afterSeq, limit);
  }

  /**
   * Takes the oldest running job nobody holds (or whose holder's lease has run out) for {@code worker}, skipping
   * rows another worker is claiming at this moment: each job is claimed by one worker at a time.
   */
  public Optional<Claimed> claim(Connection c, String worker, Duration lease, int maxAttempts) throws SQLException {
    return Sql.one(c, "update discovery_jobs j set worker_id = ?, lease_expires_at = now() + ? * interval '1 ms', "
            + "attempts = j.attempts + 1, started_at = coalesce(j.started_at, now()) "
            + "from (select d.id, d.worker_id as previous from discovery_jobs d where d.status = 'running' "
            + "and (d.lease_expires_at is null or d.lease_expires_at < now()) and d.attempts < ? "
            + "order by d.created_at for update skip locked limit 1) s "
            + "where j.id = s.id returning j.id, j.tenant_id, (select slug from tenants t where t.id = j.tenant_id), "
            + "j.plugins, j.config::text, j.credential_id, j.attempts, s.previous",
        rs -> new Claimed(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
            Arrays.asList((String[]) rs.getArray(4).getArray()), object(rs.getString(5)), rs.getObject(6, UUID.class),
            rs.getInt(7), rs.getString(8)),
        worker, lease.toMillis(), maxAttempts);
  }

  /** Fails running jobs whose lease ran out after their last allowed attempt. */
  public List<Ended> failAbandoned(Connection c, int maxAttempts) throws SQLException {
    return Sql.list(c, "update discovery_jobs set status = 'failed', finished_at = now(), lease_expires_at = null, "
            + "error = 'the replica running it (' || coalesce(worker_id, 'unknown') || ') stopped before it "
            + "finished, ' || attempts || ' time(s); not retried' where id in (select id from discovery_jobs "
            + "where status = 'running' and lease_expires_at < now() and attempts >= ? for update skip locked) "
            + "returning tenant_id, id, error",
        rs -> new Ended(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3)), maxAttempts);
  }

  /** Extends the lease of the worker's jobs that are still running; answers those (the others it must stop). */
  public Set<UUID> renew(Connection c, String worker, Collection<UUID> jobs, Duration lease) throws SQLException {
    return new HashSet<>(Sql.list(c, "update discovery_jobs set lease_expires_at = now() + ? * interval '1 ms' "
        + "where worker_id = ? and status = 'running' and id = any(?) returning id",
        rs -> rs.getObject(1, UUID.class), lease.toMillis(), worker, uuids(c, jobs)));
  }

  /** Hands the worker's running jobs back (a replica stopping): another worker may claim them at once. */
  public void release(Connection c, String worker, Collection<UUID> jobs) throws SQLException {
    Sql.update(c, "update discovery_jobs set worker_id = null, lease_expires_at = null, attempts = attempts - 1 "
        + "where worker_id = ? and status = 'running' and id = any(?)", worker, uuids(c, jobs));
  }

  /** Ends a job the worker still holds; false when it no longer does (cancelled, or taken over). */
  public boolean finish(Connection c, UUID id, String worker, JobStatus status, String error, int nodes, int edges)
      throws SQLException {
    return Sql.update(c, "update discovery_jobs set status = ?, error = ?, nodes = ?, edges = ?, finished_at = now(), "
        + "lease_expires_at = null where id = ? and worker_id = ? and status = 'running'",
        status.wire(), error, nodes, edges, id, worker) == 1;
  }

  private static Array uuids(Connection c, Collection<UUID> ids) throws SQLException {
    return c.createArrayOf("uuid", ids.toArray());
  }

  private static Job job(ResultSet rs) throws SQLException {
    return new Job(rs.getObject(1, UUID.class), rs.getString(2), Arrays.asList((String[]) rs.getArray(3).getArray()),
        object(rs.getString(4)), JobStatus.fromWire(rs.getString(5)).orElseThrow(), rs.getString(6), rs.getInt(7),
        rs.getInt(8), Map.of("type", rs.getString(9), "id", rs.getString(10)), Sql.instant(rs, "created_at"),
        Sql.instant(rs, "started_at"), Sql.instant(rs, "finished_at"), rs.getInt(14), rs.getObject(15, UUID.class));
  }

  static ObjectNode object(String json) throws SQLException {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable job config", e);
    }
  }
}
