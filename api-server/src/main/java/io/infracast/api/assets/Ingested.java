package io.infracast.api.assets;

/** What a bulk upsert did: rows received (duplicates in one request count once), new rows, rows updated. */
public record Ingested(int received, int created, int updated) {}
