package io.infracast.api.assets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;

/**
 * A node of the asset graph: one cloud resource. Its id is {@code <provider>:<region>:<type>:<resource-id>}
 * ({@code aws:us-east-1:aws.ec2.instance:i-0abc}), unique within the tenant.
 */
public record Node(
    String id,
    String type,
    String provider,
    String region,
    String accountId,
    String name,
    ObjectNode properties,
    Map<String, String> tags,
    Instant discoveredAt) {}
