package io.infracast.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.AllArgsConstructor;
import lombok.Data;
import lombok.NoArgsConstructor;

/**
 * Requests of one API pod. Memory is also the limit (an out-of-memory kill beats swapping a neighbour); CPU has
 * no limit so that the HPA, which measures against the request, sees real demand instead of throttling.
 */
@Data
@NoArgsConstructor
@AllArgsConstructor
public class ResourcesSpec {

  @Size(max = 64)
  @ValidationRule(value = "isQuantity(self) && quantity(self).isGreaterThan(quantity('0'))",
      message = "api.resources.cpu must be a positive Kubernetes quantity such as 500m or 1",
      messageExpression = "'api.resources.cpu \"' + self + '\" must be a positive Kubernetes quantity such as 500m"
          + " or 1'")
  @JsonPropertyDescription("CPU request, e.g. 500m.")
  private String cpu;

  @Size(max = 64)
  @ValidationRule(value = "isQuantity(self) && quantity(self).isGreaterThan(quantity('0'))",
      message = "api.resources.memory must be a positive Kubernetes quantity such as 1Gi or 512Mi (not GB)",
      messageExpression = "'api.resources.memory \"' + self + '\" must be a positive Kubernetes quantity such as"
          + " 1Gi or 512Mi (not GB)'")
  @JsonPropertyDescription("Memory request and limit, e.g. 1Gi.")
  private String memory;
}
