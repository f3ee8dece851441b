-- Discovery jobs and their logs, per tenant.
--
-- A job is 'running' from the moment it is created until it ends (succeeded, failed, cancelled). While running it
-- is either waiting for a worker (worker_id NULL) or held by one replica's worker under a lease: the worker
-- renews lease_expires_at while the plugins run, so a replica that dies stops renewing and, once the lease has
-- expired, another replica's worker takes the job over (claimed with FOR UPDATE SKIP LOCKED, so exactly one does)
-- or, after max attempts, fails it with the reason. Workers claim across tenants as the login user; everything
-- else (the API, the worker's log lines and final status) runs in the tenant's transaction under row-level
-- security (see V3).

CREATE TABLE discovery_jobs (
    id               uuid        PRIMARY KEY,
    tenant_id        uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name             text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    plugins          text[]      NOT NULL CHECK (cardinality(plugins) >= 1),
    config           jsonb       NOT NULL DEFAULT '{}'::jsonb,
    status           text        NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
    error            text,
    nodes            integer     NOT NULL DEFAULT 0,
    edges            integer     NOT NULL DEFAULT 0,
    created_by_type  text        NOT NULL,
    created_by       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    finished_at      timestamptz,
    attempts         integer     NOT NULL DEFAULT 0,
    worker_id        text,
    lease_expires_at timestamptz,
    CHECK ((status = 'running') = (finished_at IS NULL))
);
CREATE INDEX discovery_jobs_tenant_idx ON discovery_jobs (tenant_id, created_at DESC, id);
-- What workers poll: running jobs nobody holds, or whose holder's lease ran out.
CREATE INDEX discovery_jobs_claimable_idx ON discovery_jobs (created_at) WHERE status = 'running';

-- The job's log: worker lines, plugin log lines and plugin stderr, in the order the worker wrote them (seq).
CREATE TABLE discovery_job_log (
    seq       bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id uuid        NOT NULL,
    job_id    uuid        NOT NULL REFERENCES discovery_jobs (id) ON DELETE CASCADE,
    at        timestamptz NOT NULL DEFAULT now(),
    level     text        NOT NULL CHECK (level IN ('info', 'warn', 'error')),
    source    text        NOT NULL,
    message   text        NOT NULL
);
CREATE INDEX discovery_job_log_job_idx ON discovery_job_log (job_id, seq);

DO $$
BEGIN
    EXECUTE format('GRANT SELECT, INSERT, UPDATE ON discovery_jobs TO %I', infracast_tenant_role());
    EXECUTE format('GRANT SELECT, INSERT ON discovery_job_log TO %I', infracast_tenant_role());
    -- Jobs are never deleted through the API and the log is append-only (V3's default privileges grant more).
    EXECUTE format('REVOKE DELETE ON discovery_jobs FROM %I', infracast_tenant_role());
    EXECUTE format('REVOKE UPDATE, DELETE ON discovery_job_log FROM %I', infracast_tenant_role());
END
$$;

ALTER TABLE discovery_jobs ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_is_current ON discovery_jobs USING (tenant_id = app_tenant());

ALTER TABLE discovery_job_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_is_current ON discovery_job_log USING (tenant_id = app_tenant());
