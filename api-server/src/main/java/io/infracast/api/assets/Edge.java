package io.infracast.api.assets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.UUID;

/** A typed, directed edge between two nodes of one tenant; one per (source, target, type). */
public record Edge(UUID id, String sourceId, String targetId, String type, ObjectNode properties, Instant createdAt) {}
