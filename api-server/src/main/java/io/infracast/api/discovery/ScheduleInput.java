package io.infracast.api.discovery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** What a schedule is made of, as created or replaced through the API. */
public record ScheduleInput(String name, List<String> plugins, ObjectNode config, Optional<UUID> credentialId,
    int intervalSeconds, boolean enabled) {}
