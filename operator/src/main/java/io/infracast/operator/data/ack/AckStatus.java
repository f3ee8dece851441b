package io.infracast.operator.data.ack;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What ACK writes into the status of every kind it manages, the same for S3 and RDS: the resource's ARN and
 * three conditions. {@code ACK.ResourceSynced} True means AWS matches the spec; {@code ACK.Terminal} means AWS
 * refused the spec and ACK will not retry until it changes; {@code ACK.Recoverable} says why ACK retries.
 */
public final class AckStatus {

  /** ACK's annotation: with {@code retain}, deleting the object leaves the resource in AWS. */
  public static final String DELETION_POLICY = "services.k8s.aws/deletion-policy";
  public static final String RETAIN = "retain";
  /** The other value: deleting the object deletes the resource in AWS. */
  public static final String DELETE = "delete";
  /** ACK's annotation for the region of one resource; without it ACK uses its controller's region. */
  public static final String REGION = "services.k8s.aws/region";
  public static final String SYNCED = "ACK.ResourceSynced";
  public static final String TERMINAL = "ACK.Terminal";
  public static final String RECOVERABLE = "ACK.Recoverable";

  private final Map<String, Object> status;

  private AckStatus(Map<String, Object> status) {
    this.status = status == null ? Map.of() : status;
  }

  public static AckStatus of(CustomResource<?, Map<String, Object>> object) {
    return new AckStatus(object.getStatus());
  }

  public boolean synced() {
    return isTrue(SYNCED).isPresent();
  }

  /** ACK's message when AWS refused the spec for good. */
  public Optional<String> terminal() {
    return isTrue(TERMINAL).map(c -> String.valueOf(c.get("message")));
  }

  /** Why it is not synced yet, in ACK's words (the retry's reason first), if ACK said. */
  public Optional<String> notSyncedBecause() {
    return isTrue(RECOVERABLE).or(() -> condition(SYNCED)).map(c -> c.get("message"))
        .filter(m -> m instanceof String s && !s.isBlank()).map(String.class::cast);
  }

  public String arn() {
    return get("ackResourceMetadata", "arn");
  }

  /** A field of the status by its path, or null. */
  public <T> T get(String... path) {
    return GenericKubernetesResource.get(status, (Object[]) path);
  }

  private Optional<Map<String, Object>> isTrue(String type) {
    return condition(type).filter(c -> "True".equals(c.get("status")));
  }

  private Optional<Map<String, Object>> condition(String type) {
    List<Map<String, Object>> conditions = get("conditions");
    return conditions == null ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.get("type"))).findFirst();
  }
}
