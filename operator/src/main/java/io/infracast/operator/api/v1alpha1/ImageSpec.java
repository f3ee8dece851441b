package io.infracast.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import java.util.List;
import lombok.Data;

/** Where the vulcan-api image comes from; the tag is always spec.version. */
@Data
public class ImageSpec {

  public static final String DEFAULT_REPOSITORY = "infracast/vulcan-api";

  @Pattern("^[a-z0-9]+([._/:-][a-z0-9]+)*$")
  @JsonPropertyDescription("Image repository without tag; default infracast/vulcan-api.")
  private String repository;

  @JsonPropertyDescription("Kubernetes image pull policy; default IfNotPresent.")
  private PullPolicy pullPolicy;

  @JsonPropertyDescription("Names of image pull Secrets in the installation's namespace.")
  private List<String> pullSecrets;

  /** Kubernetes image pull policies. */
  public enum PullPolicy {
    Always,
    IfNotPresent,
    Never
  }
}
