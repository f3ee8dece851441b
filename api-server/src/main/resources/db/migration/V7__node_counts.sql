-- Node list totals without counting rows. The list answers an exact total on every page; at a million nodes in a
-- tenant counting them is a scan of a million index entries per request (about 200 ms, bench/api-server/RESULTS.md).
-- So the nodes per (tenant, type, provider, region, account) are kept here, by statement triggers in the
-- transaction of the write, and a list filtered by nothing but those columns sums a few rows of this table.
--
-- The GIN index on tags goes: tenants read nodes under row-level security, where an operator that is not
-- LEAKPROOF (jsonb @>, as ILIKE) is never an index condition, so no tenant query could use it; it only cost
-- every ingest its upkeep.
DROP INDEX nodes_tags_idx;

CREATE TABLE node_counts (
    tenant_id  uuid   NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    type       text   NOT NULL,
    provider   text   NOT NULL,
    region     text   NOT NULL,
    account_id text,
    nodes      bigint NOT NULL,
    CONSTRAINT node_counts_group_key UNIQUE NULLS NOT DISTINCT (tenant_id, type, provider, region, account_id)
);

INSERT INTO node_counts (tenant_id, type, provider, region, account_id, nodes)
SELECT tenant_id, type, provider, region, account_id, count(*) FROM nodes GROUP BY 1, 2, 3, 4, 5;

-- Subtracts what a statement deleted and adds what it inserted (an update does both), one upsert per group in key
-- order, so concurrent writers of one tenant lock its groups in the same order. A deleted tenant's groups are
-- skipped: its counts may go (ON DELETE CASCADE) before its nodes do.
CREATE FUNCTION node_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    upsert CONSTANT text := 'INSERT INTO node_counts AS c (tenant_id, type, provider, region, account_id, nodes)'
        ' SELECT tenant_id, type, provider, region, account_id, %s count(*) FROM %I r'
        ' WHERE EXISTS (SELECT 1 FROM tenants t WHERE t.id = r.tenant_id)'
        ' GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5'
        ' ON CONFLICT (tenant_id, type, provider, region, account_id) DO UPDATE SET nodes = c.nodes + excluded.nodes';
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        EXECUTE format(upsert, '-', 'old_rows');
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        EXECUTE format(upsert, '', 'new_rows');
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER node_counts_insert AFTER INSERT ON nodes REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION node_counts_apply();
CREATE TRIGGER node_counts_update AFTER UPDATE ON nodes REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION node_counts_apply();
CREATE TRIGGER node_counts_delete AFTER DELETE ON nodes REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION node_counts_apply();

DO $$
BEGIN
    EXECUTE format('GRANT SELECT, INSERT, UPDATE ON node_counts TO %I', infracast_tenant_role());
END
$$;

ALTER TABLE node_counts ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_is_current ON node_counts USING (tenant_id = app_tenant());
