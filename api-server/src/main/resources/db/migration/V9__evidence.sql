-- The evidence index: one row per signed artifact, one artifact per control of the active rule packs after each
-- compliance evaluation of a tenant. The artifact itself (its JSON, content hash and Ed25519 signature) is in the
-- artifact store (the artifacts bucket, or a local folder), at object_key under the tenant's prefix
-- (tenants/<tenant id>/evidence/...); this table lists and filters them and finds an evaluation's artifacts for
-- a bundle. Evidence is append-only: the tenant role may insert and read rows, never change or delete them
-- (deleting the tenant still removes them, as the owner). Tenant-owned, with row-level security as V3's tables.

CREATE TABLE evidence_artifacts (
    tenant_id        uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id               uuid        NOT NULL,
    evaluation_id    uuid        NOT NULL,
    framework        text        NOT NULL,
    control_id       text        NOT NULL,
    result           text        NOT NULL CHECK (result IN ('Pass', 'Partial', 'Fail', 'Not Assessed')),
    assets_evaluated bigint      NOT NULL CHECK (assets_evaluated >= 0),
    failing_assets   bigint      NOT NULL CHECK (failing_assets >= 0),
    -- 'sha256:' and the hex SHA-256 of the artifact's canonical JSON; the key that signed it.
    content_hash     text        NOT NULL,
    key_id           text        NOT NULL,
    object_key       text        NOT NULL,
    generated_at     timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX evidence_artifacts_recent_idx ON evidence_artifacts (tenant_id, generated_at DESC, id DESC);
CREATE INDEX evidence_artifacts_control_idx ON evidence_artifacts (tenant_id, framework, control_id, generated_at DESC);
CREATE INDEX evidence_artifacts_evaluation_idx ON evidence_artifacts (tenant_id, evaluation_id);

DO $$
BEGIN
    EXECUTE format('REVOKE UPDATE, DELETE ON evidence_artifacts FROM %I', infracast_tenant_role());
    EXECUTE format('GRANT SELECT, INSERT ON evidence_artifacts TO %I', infracast_tenant_role());
END
$$;

ALTER TABLE evidence_artifacts ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_is_current ON evidence_artifacts USING (tenant_id = app_tenant());
