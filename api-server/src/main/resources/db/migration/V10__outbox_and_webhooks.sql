-- The event outbox and webhook integrations.
--
-- outbox_events: what happened (finding.created, job.failed, ...), written by a domain in the same transaction as
-- the change itself, so an event exists exactly when its change was committed: a crash or restart loses none.
-- The integrations domain's dispatcher takes events out (FOR UPDATE SKIP LOCKED, any replica) and, in the same
-- transaction, turns each into one delivery per subscribed webhook (one deleted meanwhile gets none).
--
-- webhook_deliveries: one event for one webhook, with the exact body it is sent with and its attempts. A replica
-- claims a due delivery by moving next_attempt_at past the attempt's timeout (its lease) and counting the attempt,
-- so each attempt is made by one replica; the result is written only by the attempt that still holds it.
-- All four tables are tenant-owned, with row-level security as V3's tables; the dispatcher works across tenants
-- as the login user.

CREATE TABLE outbox_events (
    id         uuid        PRIMARY KEY,
    tenant_id  uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    type       text        NOT NULL,
    payload    jsonb       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX outbox_events_created_idx ON outbox_events (created_at);

-- Who wants which events of a tenant (a webhook subscribed to them): an event nobody wants is not written at all,
-- so a large evaluation of a tenant without webhooks pays nothing for the outbox.
CREATE TABLE outbox_subscriptions (
    tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    type          text NOT NULL,
    subscriber_id uuid NOT NULL,
    PRIMARY KEY (tenant_id, type, subscriber_id)
);
CREATE INDEX outbox_subscriptions_subscriber_idx ON outbox_subscriptions (subscriber_id);

CREATE TABLE integrations (
    id                uuid        PRIMARY KEY,
    tenant_id         uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    type              text        NOT NULL CHECK (type IN ('webhook')),
    name              text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    url               text        NOT NULL,
    events            text[]      NOT NULL,
    enabled           boolean     NOT NULL,
    -- The HMAC signing secret, sealed with ENCRYPTION_KEYS (platform/crypto/SecretCipher).
    secret_key_id     text        NOT NULL,
    secret_nonce      bytea       NOT NULL,
    secret_ciphertext bytea       NOT NULL,
    created_by_type   text        NOT NULL,
    created_by        text        NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX integrations_tenant_idx ON integrations (tenant_id, created_at);

CREATE TABLE webhook_deliveries (
    id               uuid        PRIMARY KEY,
    tenant_id        uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    integration_id   uuid        NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    event_id         uuid        NOT NULL,
    event_type       text        NOT NULL,
    body             text        NOT NULL,
    status           text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
    attempts         integer     NOT NULL DEFAULT 0,
    -- When a pending delivery is due (or, during an attempt, when that attempt's lease runs out); null once ended.
    next_attempt_at  timestamptz DEFAULT now(),
    last_attempt_at  timestamptz,
    last_status_code integer,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz,
    UNIQUE (integration_id, event_id)
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (integration_id, next_attempt_at)
    WHERE status = 'pending';
CREATE INDEX webhook_deliveries_recent_idx ON webhook_deliveries (integration_id, created_at DESC, id);
-- Ended deliveries are kept 30 days (the dispatcher deletes older ones).
CREATE INDEX webhook_deliveries_finished_idx ON webhook_deliveries (finished_at) WHERE finished_at IS NOT NULL;

ALTER TABLE outbox_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_is_current ON outbox_events USING (tenant_id = app_tenant());

ALTER TABLE outbox_subscriptions ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_is_current ON outbox_subscriptions USING (tenant_id = app_tenant());

ALTER TABLE integrations ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_is_current ON integrations USING (tenant_id = app_tenant());

ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_is_current ON webhook_deliveries USING (tenant_id = app_tenant());
