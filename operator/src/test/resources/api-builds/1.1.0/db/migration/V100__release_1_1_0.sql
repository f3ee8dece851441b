-- Test only: the migration that release 1.1.0 adds in the tests' builds (testing/kubelet/ApiBuilds), so that an
-- upgrade from 1.0.0 really changes the schema. A new table, easy to look for.
CREATE TABLE release_1_1_0 (
    id         integer     PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now()
);
