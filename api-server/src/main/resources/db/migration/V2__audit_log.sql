-- Every write is recorded: who, what, when, in which tenant. Append-only; rows outlive the tenant they name,
-- so tenant_id is deliberately not a foreign key.

CREATE TABLE audit_log (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    tenant_id   uuid,
    actor_type  text        NOT NULL CHECK (actor_type IN ('user', 'api_key', 'system')),
    actor_id    text,
    action      text        NOT NULL,
    target_type text,
    target_id   text,
    details     jsonb       NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_tenant_time_idx ON audit_log (tenant_id, occurred_at DESC);
