-- Tenancy enforced by PostgreSQL row-level security, API keys, refresh tokens, failed-login throttling.
--
-- How tenancy works: tenant-scoped work runs in a transaction that switches to this database's own
-- role (infracast_tenant_role(), NOLOGIN, not the tables' owner, so RLS always applies to it, even when the
-- service logs in as a superuser) and sets app.tenant_id (platform/db/Transactions.inTenant). The policies
-- below show a row only when its tenant is app.tenant_id: without it, nothing. Cross-tenant lookups (login,
-- API key lookup, creating tenants) run as the login user, the owner, which RLS does not restrict.
-- The role's name is per database, so services of other installations sharing the PostgreSQL server never
-- gain rights here through it. Tables created later by the same login user are granted to it by the default
-- privileges below; a new tenant-owned table still needs its own ENABLE ROW LEVEL SECURITY and policy.

DO $$
DECLARE
    r text := 'infracast_tenant_' || substr(md5(current_database()), 1, 16);
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
        EXECUTE format('CREATE ROLE %I NOLOGIN NOBYPASSRLS', r);
    END IF;
    EXECUTE format('GRANT %I TO %I', r, current_user);
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', r);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', r);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO %I', r);
    EXECUTE format('CREATE FUNCTION infracast_tenant_role() RETURNS text LANGUAGE sql IMMUTABLE AS %L',
                   'SELECT ' || quote_literal(r));
END
$$;

-- The caller's tenant for this transaction, or NULL (then every policy below hides every row).
CREATE FUNCTION app_tenant() RETURNS uuid LANGUAGE sql STABLE AS
$$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;

-- Users log in by email; system-admin is a property of the user (every tenant, creates and deletes tenants),
-- the other four roles are per tenant.
ALTER TABLE users ADD COLUMN is_system_admin boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
ALTER TABLE tenant_memberships ADD CONSTRAINT tenant_memberships_role_not_system
    CHECK (role <> 'system-admin');

CREATE TABLE api_keys (
    id          uuid        PRIMARY KEY,
    tenant_id   uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    role        text        NOT NULL CHECK (role IN ('tenant-admin', 'security-analyst', 'auditor', 'read-only')),
    prefix      text        NOT NULL UNIQUE,
    secret_hash bytea       NOT NULL,
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);
CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id, created_at);

-- One row per refresh token; a login starts a family, each refresh marks its token used and adds the next.
-- Presenting a used token again revokes the whole family.
CREATE TABLE refresh_tokens (
    id         uuid        PRIMARY KEY,
    family_id  uuid        NOT NULL,
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash bytea       NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    revoked_at timestamptz
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);

-- Failed logins per (email, client address) in the current window; in the database so that every replica
-- counts the same failures.
CREATE TABLE login_failures (
    email        text        NOT NULL,
    client_ip    text        NOT NULL,
    window_start timestamptz NOT NULL,
    failures     integer     NOT NULL,
    PRIMARY KEY (email, client_ip)
);

-- The tenant role reads and writes tenant-owned data only; accounts, tokens and login failures are reached
-- by the owner alone.
DO $$
BEGIN
    EXECUTE format('GRANT SELECT, UPDATE ON tenants TO %I', infracast_tenant_role());
    EXECUTE format('GRANT SELECT, INSERT, UPDATE ON users TO %I', infracast_tenant_role());
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON tenant_memberships, api_keys TO %I', infracast_tenant_role());
    EXECUTE format('GRANT SELECT, INSERT ON audit_log TO %I', infracast_tenant_role());
    EXECUTE format('REVOKE ALL ON accounts, refresh_tokens, login_failures, flyway_schema_history FROM %I',
                   infracast_tenant_role());
END
$$;

ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_is_current ON tenants USING (id = app_tenant());

ALTER TABLE tenant_memberships ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_is_current ON tenant_memberships USING (tenant_id = app_tenant());

ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_is_current ON api_keys USING (tenant_id = app_tenant());

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_is_current ON audit_log USING (tenant_id = app_tenant());

-- Users belong to no single tenant: a tenant sees the users who are its members (the membership policy
-- applies inside this one too). A new user is inserted before its membership, so inserting is open.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY member_of_current_tenant ON users FOR SELECT
    USING (EXISTS (SELECT 1 FROM tenant_memberships m WHERE m.user_id = users.id));
CREATE POLICY member_of_current_tenant_update ON users FOR UPDATE
    USING (EXISTS (SELECT 1 FROM tenant_memberships m WHERE m.user_id = users.id));
CREATE POLICY insert_new_user ON users FOR INSERT WITH CHECK (true);
