-- Discovery credentials (sealed secrets handed to plugins) and schedules (recurring discovery jobs), per tenant.
--
-- A credential's secret is stored only sealed (AES-256-GCM, platform/crypto/SecretCipher): the id of the key
-- that sealed it, the random nonce and the ciphertext with its tag. The associated data names the table, the
-- tenant and the row, so a ciphertext copied elsewhere does not open. hint is a masked reminder shown by the API
-- (never enough of the secret to use it).
--
-- A schedule fires when next_run_at has passed: a replica's scheduler claims it FOR UPDATE SKIP LOCKED as the
-- login user, advances next_run_at past now and inserts the job in the same transaction, so one due time makes
-- one job whatever the number of replicas. Everything else runs in the tenant's transaction under row-level
-- security (see V3).

CREATE TABLE discovery_credentials (
    id              uuid        PRIMARY KEY,
    tenant_id       uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name            text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    type            text        NOT NULL CHECK (type IN ('kubernetes', 'aws', 'generic')),
    hint            text        NOT NULL,
    key_id          text        NOT NULL,
    nonce           bytea       NOT NULL,
    ciphertext      bytea       NOT NULL,
    created_by_type text        NOT NULL,
    created_by      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    sealed_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, name)
);
-- What the re-sealing pass after a key rotation looks for.
CREATE INDEX discovery_credentials_key_idx ON discovery_credentials (key_id);

CREATE TABLE discovery_schedules (
    id               uuid        PRIMARY KEY,
    tenant_id        uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name             text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    plugins          text[]      NOT NULL CHECK (cardinality(plugins) >= 1),
    config           jsonb       NOT NULL DEFAULT '{}'::jsonb,
    -- A credential in use cannot be deleted (checked at the end of the statement, so deleting a tenant, which
    -- removes both, is fine).
    credential_id    uuid        REFERENCES discovery_credentials (id),
    interval_seconds integer     NOT NULL CHECK (interval_seconds BETWEEN 60 AND 2592000),
    enabled          boolean     NOT NULL DEFAULT true,
    next_run_at      timestamptz NOT NULL,
    last_run_at      timestamptz,
    last_job_id      uuid,
    skipped_runs     integer     NOT NULL DEFAULT 0,
    created_by_type  text        NOT NULL,
    created_by       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX discovery_schedules_tenant_idx ON discovery_schedules (tenant_id, created_at, id);
CREATE INDEX discovery_schedules_credential_idx ON discovery_schedules (credential_id);
-- What schedulers poll: enabled schedules by due time.
CREATE INDEX discovery_schedules_due_idx ON discovery_schedules (next_run_at) WHERE enabled;

-- The credential a job runs with (its secret is read when the job starts); no foreign key: a job keeps the id
-- after the credential is deleted, and one that has not started by then fails saying so.
ALTER TABLE discovery_jobs ADD COLUMN credential_id uuid;

ALTER TABLE discovery_credentials ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_is_current ON discovery_credentials USING (tenant_id = app_tenant());

ALTER TABLE discovery_schedules ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_is_current ON discovery_schedules USING (tenant_id = app_tenant());
