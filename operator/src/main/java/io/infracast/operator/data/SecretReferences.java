package io.infracast.operator.data;

import io.fabric8.kubernetes.api.model.Secret;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.SecretKeyRef;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Reads a value a user's Secret must hold, or says exactly which object or key is missing. */
public final class SecretReferences {

  private SecretReferences() {}

  /**
   * The outcome of reading one referenced key: of a Secret, or of a secret in AWS Secrets Manager.
   *
   * @param value the decoded value, null when a problem is set
   * @param reason CamelCase condition reason of the problem, null when the value was read
   * @param message the problem, naming the Secret, key and spec field
   */
  public record Lookup(String value, String reason, String message) {
    public boolean found() {
      return value != null;
    }

    /** Never prints the value: lookups may be logged, secrets never. */
    @Override
    public String toString() {
      return found() ? "Lookup[found]" : "Lookup[" + reason + ": " + message + "]";
    }
  }

  /**
   * Looks up {@code ref} (key already defaulted) in the installation's namespace; {@code field} names the spec
   * field. A referenced Secret is watched once labelled ({@link WatchedSecrets}), so it is read from that cache
   * (its edits reconcile the installation anyway); only one not labelled yet, or missing, is asked for by name.
   */
  public static Lookup read(Context<InfracastInstallation> context, SecretKeyRef ref, String field,
      String reasonPrefix) {
    var namespace = context.getPrimaryResource().getMetadata().getNamespace();
    Secret secret = context.getSecondaryResourcesAsStream(Secret.class)
        .filter(s -> s.getMetadata().getName().equals(ref.getName())).findFirst()
        .orElseGet(() -> context.getClient().secrets().inNamespace(namespace).withName(ref.getName()).get());
    if (secret == null) {
      return new Lookup(null, reasonPrefix + "SecretMissing",
          "Secret " + namespace + "/" + ref.getName() + " (" + field + ") does not exist");
    }
    var encoded = secret.getData() == null ? null : secret.getData().get(ref.getKey());
    if (encoded == null || encoded.isBlank()) {
      return new Lookup(null, reasonPrefix + "SecretKeyMissing",
          "Secret " + namespace + "/" + ref.getName() + " has no key " + ref.getKey() + " (" + field + ")");
    }
    return new Lookup(new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8), null, null);
  }
}
