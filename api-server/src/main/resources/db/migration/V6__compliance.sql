-- Compliance findings: one row per (rule, node) that a rule pack's rule has matched, per tenant.
--
-- A finding is stable across evaluations: the same rule and node update the same row (the unique key), an open
-- finding that no longer matches becomes resolved, a resolved one that matches again is open again, and an
-- accepted one stays accepted whatever the evaluation finds. An evaluation writes only the rows it changes, so
-- re-evaluating an unchanged graph writes nothing. node_id names an asset graph node but has no foreign
-- key: findings are read through the assets domain's service, and a finding outlives its node (it is resolved
-- when the node is gone). Tenant-owned, with row-level security as V3's tables.

CREATE TABLE findings (
    tenant_id         uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id                uuid        NOT NULL,
    rule_id           text        NOT NULL,
    pack_id           text        NOT NULL,
    node_id           text        NOT NULL,
    resource_type     text        NOT NULL,
    node_name         text,
    title             text        NOT NULL,
    severity          text        NOT NULL CHECK (severity IN ('CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO')),
    risk_score        integer     NOT NULL CHECK (risk_score BETWEEN 0 AND 100),
    -- The rule's first framework control, and all of them ([{"framework","control_id"}]).
    framework         text        NOT NULL,
    control_id        text        NOT NULL,
    controls          jsonb       NOT NULL,
    remediation       text        NOT NULL,
    status            text        NOT NULL CHECK (status IN ('open', 'resolved', 'accepted')),
    status_reason     text,
    status_changed_at timestamptz NOT NULL DEFAULT now(),
    -- Who set the status: a user or API key id; null when an evaluation did.
    status_changed_by text,
    first_seen_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, rule_id, node_id)
);
CREATE INDEX findings_status_idx ON findings (tenant_id, status, risk_score DESC, id);
CREATE INDEX findings_controls_idx ON findings USING gin (controls jsonb_path_ops);

DO $$
BEGIN
    EXECUTE format('GRANT SELECT, INSERT, UPDATE ON findings TO %I', infracast_tenant_role());
END
$$;

ALTER TABLE findings ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_is_current ON findings USING (tenant_id = app_tenant());
