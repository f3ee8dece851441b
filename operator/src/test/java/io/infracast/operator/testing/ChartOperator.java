package io.infracast.operator.testing;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.infracast.operator.InfracastOperator;
import io.infracast.operator.OperatorClient;
import io.infracast.operator.OperatorSettings;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * One replica of the operator as the chart's Deployment runs it: its environment taken from the installed
 * Deployment (downward-API fields resolved as the kubelet would) and its requests made as the Deployment's
 * ServiceAccount, by impersonation, so the API server's RBAC authorizer grants it exactly the chart's rules.
 */
public final class ChartOperator implements AutoCloseable {

  private final KubernetesClient client;
  private final InfracastOperator operator;

  private ChartOperator(KubernetesClient client, InfracastOperator operator) {
    this.client = client;
    this.operator = operator;
  }

  /** Starts replica {@code podName} of the chart's {@code deployment}, against the shared API server. */
  public static ChartOperator start(Deployment deployment, String podName) throws IOException {
    var namespace = deployment.getMetadata().getNamespace();
    var pod = deployment.getSpec().getTemplate().getSpec();
    var env = new HashMap<String, String>();
    for (EnvVar var : pod.getContainers().get(0).getEnv()) {
      env.put(var.getName(), var.getValueFrom() == null ? var.getValue()
          : downwardApi(var.getValueFrom().getFieldRef().getFieldPath(), podName, namespace));
    }
    // The replicas share this host: any free port instead of the pod's own.
    env.put("MANAGEMENT_PORT", "0");
    var config = Config.fromKubeconfig(RealApiServer.kubeConfigYaml());
    config.setImpersonateUsername("system:serviceaccount:" + namespace + ":" + pod.getServiceAccountName());
    var client = OperatorClient.builder(config).build();
    return new ChartOperator(client, InfracastOperator.start(client, OperatorSettings.fromEnvironment(env)));
  }

  private static String downwardApi(String fieldPath, String podName, String namespace) {
    return Map.of("metadata.name", podName, "metadata.namespace", namespace).get(fieldPath);
  }

  public InfracastOperator operator() {
    return operator;
  }

  @Override
  public void close() {
    operator.close();
    client.close();
  }
}
