-- The asset graph: nodes (cloud resources) and the typed edges between them, per tenant.
--
-- Both tables are tenant-owned: row-level security shows and accepts only the rows of app.tenant_id (see V3),
-- so another tenant's node or edge is indistinguishable from one that does not exist. Node ids are the
-- discovery ids (<provider>:<region>:<type>:<resource-id>), unique within a tenant; two tenants may hold the
-- same id. Edges point at nodes of their own tenant (the foreign keys include tenant_id).

CREATE TABLE nodes (
    tenant_id     uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id            text        NOT NULL CHECK (length(id) BETWEEN 1 AND 1024),
    type          text        NOT NULL,
    provider      text        NOT NULL,
    region        text        NOT NULL,
    account_id    text,
    name          text,
    properties    jsonb       NOT NULL DEFAULT '{}'::jsonb,
    tags          jsonb       NOT NULL DEFAULT '{}'::jsonb,
    discovered_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
-- The list filters and sort fields; tags through containment (tags=k=v).
CREATE INDEX nodes_type_idx ON nodes (tenant_id, type, id);
CREATE INDEX nodes_region_idx ON nodes (tenant_id, region, id);
CREATE INDEX nodes_account_idx ON nodes (tenant_id, account_id, id);
CREATE INDEX nodes_name_idx ON nodes (tenant_id, name, id);
CREATE INDEX nodes_discovered_idx ON nodes (tenant_id, discovered_at, id);
CREATE INDEX nodes_tags_idx ON nodes USING gin (tags jsonb_path_ops);

CREATE TABLE edges (
    tenant_id  uuid        NOT NULL,
    id         uuid        NOT NULL,
    source_id  text        NOT NULL,
    target_id  text        NOT NULL,
    type       text        NOT NULL CHECK (type IN ('contains', 'attached_to', 'depends_on', 'executes_as',
                                                    'encrypted_by', 'logs_to', 'member_of', 'routes_to')),
    properties jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, source_id, target_id, type),
    FOREIGN KEY (tenant_id, source_id) REFERENCES nodes (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, target_id) REFERENCES nodes (tenant_id, id) ON DELETE CASCADE
);
-- Outgoing edges are served by the unique constraint's index; incoming ones by this.
CREATE INDEX edges_target_idx ON edges (tenant_id, target_id, id);

DO $$
BEGIN
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON nodes, edges TO %I', infracast_tenant_role());
END
$$;

ALTER TABLE nodes ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_is_current ON nodes USING (tenant_id = app_tenant());

ALTER TABLE edges ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_is_current ON edges USING (tenant_id = app_tenant());
