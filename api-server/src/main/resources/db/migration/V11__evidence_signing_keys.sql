-- Every public key the service has signed evidence with, so that evidence signed before a key rotation (a new
-- EVIDENCE_SIGNING_KEY) still verifies: the verifier looks up the key an artifact or bundle names here. A
-- service records its current key before it first signs or verifies with it (INSERT ... ON CONFLICT DO NOTHING,
-- so replicas starting at once record it once); rows are never changed or deleted (evidence is kept for years).
-- Global, not tenant-owned: the keys sign every tenant's evidence and are public (GET /reports/public-keys).

CREATE TABLE evidence_signing_keys (
    -- 'ed25519-' and the first 16 hex digits of the SHA-256 of the raw public key, as written beside signatures.
    key_id        text        PRIMARY KEY,
    algorithm     text        NOT NULL CHECK (algorithm = 'Ed25519'),
    -- X.509 SubjectPublicKeyInfo DER.
    public_key    bytea       NOT NULL,
    -- When a service first recorded it (its first use).
    first_seen_at timestamptz NOT NULL DEFAULT now()
);

-- Reached by the owner (the login user) only, like accounts: the tenant role has no business with it.
DO $$
BEGIN
    EXECUTE format('REVOKE ALL ON evidence_signing_keys FROM %I', infracast_tenant_role());
END
$$;
