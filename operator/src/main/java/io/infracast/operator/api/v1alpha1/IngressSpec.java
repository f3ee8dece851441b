package io.infracast.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import lombok.Data;

/** Public HTTPS entry through the AWS Load Balancer Controller; absent means no Ingress. */
@Data
public class IngressSpec {

  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$")
  @JsonPropertyDescription("Public host name, e.g. infracast.example.com.")
  private String host;

  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription("IngressClass; default alb.")
  private String className;

  @Pattern("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$")
  @JsonPropertyDescription("ACM certificate ARN for the HTTPS listener; unset lets the controller discover one"
      + " by host.")
  private String certificateArn;

  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription("Namespace whose pods may reach the API on 8080 (the ingress controller's); default"
      + " kube-system.")
  private String controllerNamespace;
}
