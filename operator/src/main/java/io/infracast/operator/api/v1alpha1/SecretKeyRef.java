package io.infracast.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import lombok.AllArgsConstructor;
import lombok.Data;
import lombok.NoArgsConstructor;

/** A key in a Secret of the installation's namespace. */
@Data
@NoArgsConstructor
@AllArgsConstructor
public class SecretKeyRef {

  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription("Name of the Secret, in the installation's namespace.")
  private String name;

  @Pattern("^[-._a-zA-Z0-9]+$")
  @JsonPropertyDescription("Key inside the Secret; each use documents its default.")
  private String key;

  /** The key, or {@code fallback} when none was given. */
  public String keyOr(String fallback) {
    return key == null || key.isBlank() ? fallback : key;
  }
}
