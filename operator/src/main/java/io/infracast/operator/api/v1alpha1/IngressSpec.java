package io.infracast.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
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

  @Size(max = 2048)
  @ValidationRule(value = "self.matches(r'^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$')",
      message = "ingress.certificateArn must be an ACM certificate ARN such as"
          + " arn:aws:acm:us-east-1:123456789012:certificate/<id>",
      messageExpression = "'ingress.certificateArn \"' + self + '\" must be an ACM certificate ARN such as"
          + " arn:aws:acm:us-east-1:123456789012:certificate/<id>'")
  @JsonPropertyDescription("ACM certificate ARN for the HTTPS listener; unset lets the controller discover one"
      + " by host.")
  private String certificateArn;

  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription("Namespace whose pods may reach the API on 8080 (the ingress controller's); default"
      + " kube-system.")
  private String controllerNamespace;

  @JsonPropertyDescription("CIDRs the load balancer reaches the pods from (the VPC's, or its public subnets')."
      + " With ALB IP targets the traffic comes from these addresses, not from a namespace, so the NetworkPolicy"
      + " must allow them.")
  private List<@Pattern("^([0-9]{1,3}\\.){3}[0-9]{1,3}/[0-9]{1,2}$") String> sourceCidrs;
}
