package io.infracast.api.discovery.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infracast.api.discovery.Schedule;
import io.infracast.api.discovery.ScheduleInput;
import io.infracast.api.platform.db.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The SQL of discovery schedules. Methods taking a tenant's connection run under row-level security; the
 * scheduler's {@link #claimDue} and {@link #fired} span tenants and run as the login user.
 */
public final class ScheduleRepository {
  private static final String COLUMNS = "id, name, plugins, config::text, credential_id, interval_seconds, enabled, "
      + "next_run_at, last_run_at, last_job_id, skipped_runs, created_by_type, created_by, created_at, updated_at";

  /** A schedule whose time has come, claimed by one scheduler until its transaction ends. */
  public record Due(UUID id, UUID tenantId, String name, List<String> plugins, ObjectNode config, UUID credentialId,
      boolean previousJobRunning) {}

  /** Inserts a schedule due at once (its first job starts within a scheduler's poll). */
  public void insert(Connection c, UUID tenant, UUID id, ScheduleInput input, String createdByType,
      String createdBy) throws SQLException {
    Sql.update(c, "insert into discovery_schedules (id, tenant_id, name, plugins, config, credential_id, "
            + "interval_seconds, enabled, next_run_at, created_by_type, created_by) "
            + "values (?, ?, ?, ?, ?::jsonb, ?, ?, ?, now(), ?, ?)",
        id, tenant, input.name(), c.createArrayOf("text", input.plugins().toArray()), input.config().toString(),
        input.credentialId().orElse(null), input.intervalSeconds(), input.enabled(), createdByType, createdBy);
  }

  /**
   * Replaces what a schedule is made of. A new interval counts from its last run (so a shorter one may make it due
   * at once); otherwise its next run stays.
   */
  public boolean replace(Connection c, UUID id, ScheduleInput input) throws SQLException {
    return Sql.update(c, "update discovery_schedules set name = ?, plugins = ?, config = ?::jsonb, credential_id = ?, "
            + "next_run_at = case when interval_seconds = ? then next_run_at "
            + "else coalesce(last_run_at + ? * interval '1 second', next_run_at) end, "
            + "interval_seconds = ?, enabled = ?, updated_at = now() where id = ?",
        input.name(), c.createArrayOf("text", input.plugins().toArray()), input.config().toString(),
        input.credentialId().orElse(null), input.intervalSeconds(), input.intervalSeconds(), input.intervalSeconds(),
        input.enabled(), id) == 1;
  }

  public boolean delete(Connection c, UUID id) throws SQLException {
    return Sql.update(c, "delete from discovery_schedules where id = ?", id) == 1;
  }

  public Optional<Schedule> get(Connection c, UUID id) throws SQLException {
    return Sql.one(c, "select " + COLUMNS + " from discovery_schedules where id = ?", ScheduleRepository::schedule,
        id);
  }

  /** A page of the tenant's schedules, oldest first, and how many there are. */
  public Map.Entry<List<Schedule>, Long> list(Connection c, int limit, int offset) throws SQLException {
    return Sql.page(c, COLUMNS, "discovery_schedules", "", List.of(), "created_at", "id", false,
        ScheduleRepository::schedule, limit, offset);
  }

  /** The tenant's schedules that run with the credential. */
  public List<UUID> usingCredential(Connection c, UUID credential) throws SQLException {
    return Sql.list(c, "select id from discovery_schedules where credential_id = ? order by created_at, id",
        rs -> rs.getObject(1, UUID.class), credential);
  }

  /**
   * Takes the enabled schedule that has been due longest, skipping rows another scheduler holds at this moment: the
   * row stays locked until the caller's transaction ends, by when {@link #fired} has moved it past now.
   */
  public Optional<Due> claimDue(Connection c) throws SQLException {
    return Sql.one(c, "select s.id, s.tenant_id, s.name, s.plugins, s.config::text, s.credential_id, "
            + "exists (select 1 from discovery_jobs j where j.id = s.last_job_id and j.status = 'running') "
            + "from discovery_schedules s where s.enabled and s.next_run_at <= now() "
            + "order by s.next_run_at for update of s skip locked limit 1",
        rs -> new Due(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
            Arrays.asList((String[]) rs.getArray(4).getArray()), JobRepository.object(rs.getString(5)),
            rs.getObject(6, UUID.class), rs.getBoolean(7)));
  }

  /**
   * Moves a schedule that fired to its first due time after now: however many times were missed (the service was
   * down), it fires once for them. {@code job} is the job it made, null when it skipped this run.
   */
  public void fired(Connection c, UUID id, UUID job) throws SQLException {
    Sql.update(c, "update discovery_schedules set last_run_at = now(), "
            + "next_run_at = next_run_at + interval_seconds * (floor(extract(epoch from now() - next_run_at) "
            + "/ interval_seconds) + 1) * interval '1 second', "
            + "last_job_id = coalesce(?, last_job_id), skipped_runs = skipped_runs + case when ? then 0 else 1 end "
            + "where id = ?", job, job != null, id);
  }

  private static Schedule schedule(ResultSet rs) throws SQLException {
    return new Schedule(rs.getObject(1, UUID.class), rs.getString(2), Arrays.asList((String[]) rs.getArray(3)
        .getArray()), JobRepository.object(rs.getString(4)), rs.getObject(5, UUID.class), rs.getInt(6),
        rs.getBoolean(7), Sql.instant(rs, "next_run_at"), Sql.instant(rs, "last_run_at"),
        rs.getObject(10, UUID.class), rs.getInt(11), Map.of("type", rs.getString(12), "id", rs.getString(13)),
        Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
  }
}
