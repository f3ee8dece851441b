-- Test only: stands for a migration that a newer release applied.
CREATE TABLE newer_release_marker (id integer PRIMARY KEY);
