package io.infracast.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.List;
import lombok.Data;

/** The API Deployment and its autoscaling; every unset field takes the profile's value. */
@Data
@SchemaCustomizer(KubernetesTypeDescriptions.class)
@ValidationRule(value = "!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas",
    message = "api.minReplicas must be less than or equal to api.maxReplicas",
    fieldPath = ".minReplicas")
public class ApiSpec {

  @Min(1)
  @Max(100)
  @JsonPropertyDescription("Fewest API pods the autoscaler keeps (development 1, production 2).")
  private Integer minReplicas;

  @Min(1)
  @Max(100)
  @JsonPropertyDescription("Most API pods the autoscaler may run (development 3, production 10).")
  private Integer maxReplicas;

  @Min(10)
  @Max(100)
  @JsonPropertyDescription("Average CPU utilisation the autoscaler aims for, in percent (development 80, production 70).")
  private Integer targetCPUUtilizationPercentage;

  @JsonPropertyDescription("CPU and memory per API pod (development 500m/1Gi, production 1/2Gi).")
  private ResourcesSpec resources;

  @JsonPropertyDescription("Extra environment variables for the API container; the operator's own settings win.")
  private List<EnvVar> env;

  @Pattern("^/.*")
  @JsonPropertyDescription("PLUGIN_DIR: folder of discovery plugins; default /usr/local/lib/infracast/plugins.")
  private String pluginDir;

  @Size(max = 2048)
  @ValidationRule(value = "self.matches(r'^https?://[^\\s]+$')",
      message = "api.contentCdnUrl must be an http or https URL such as https://cdn.example.com",
      messageExpression = "'api.contentCdnUrl \"' + self + '\" must be an http or https URL such as"
          + " https://cdn.example.com'")
  @JsonPropertyDescription("CONTENT_CDN_URL: the UI's origin, allowed by CORS; unset means same origin only.")
  private String contentCdnUrl;

  @JsonPropertyDescription("Namespaces whose pods (Prometheus) may reach the API pods on 8080 to scrape /metrics;"
      + " the NetworkPolicy admits nobody else but the ingress controller.")
  private List<@Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$") String> monitoringNamespaces;
}
