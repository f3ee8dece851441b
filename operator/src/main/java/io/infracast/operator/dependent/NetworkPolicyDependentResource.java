package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.infracast.contract.DatabaseUrl;
import io.infracast.operator.api.v1alpha1.ApiSpec;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.IngressSpec;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The documented security groups as policy. ECS tasks: in 8080 from the load balancer only (the ingress
 * controller's namespace, and the CIDRs an ALB in IP mode sends from; plus the monitoring namespaces that scrape
 * /metrics); out 5432 to the database and 443 to AWS APIs; plus DNS, which a security group never needed to say.
 */
@KubernetesDependent(informer = @Informer(labelSelector = InstallationLabels.MANAGED_BY_SELECTOR))
public class NetworkPolicyDependentResource
    extends CRUDKubernetesDependentResource<NetworkPolicy, InfracastInstallation> {

  public static final String DEFAULT_CONTROLLER_NAMESPACE = "kube-system";

  @Override
  protected NetworkPolicy desired(InfracastInstallation installation, Context<InfracastInstallation> context) {
    var ingress = Optional.ofNullable(installation.getSpec().getIngress());
    var controllerNamespace = ingress.map(IngressSpec::getControllerNamespace).orElse(DEFAULT_CONTROLLER_NAMESPACE);
    var peers = new ArrayList<NetworkPolicyPeer>();
    peers.add(namespacePeer(controllerNamespace));
    ingress.map(IngressSpec::getSourceCidrs).orElse(List.of()).forEach(cidr ->
        peers.add(new NetworkPolicyPeerBuilder().withNewIpBlock().withCidr(cidr).endIpBlock().build()));
    Optional.ofNullable(installation.getSpec().getApi()).map(ApiSpec::getMonitoringNamespaces).orElse(List.of())
        .forEach(monitoring -> peers.add(namespacePeer(monitoring)));
    return new NetworkPolicyBuilder()
        .withMetadata(OwnedMetadata.of(installation, ObjectNames.api(installation), "api"))
        .withNewSpec()
          .withNewPodSelector().withMatchLabels(InstallationLabels.apiSelector(installation)).endPodSelector()
          .withPolicyTypes("Ingress", "Egress")
          .addNewIngress().withFrom(peers).withPorts(tcp(DeploymentDependentResource.PORT)).endIngress()
          .withEgress(
              new NetworkPolicyEgressRuleBuilder()
                  .withPorts(port("UDP", 53), tcp(53)).build(),
              new NetworkPolicyEgressRuleBuilder().withPorts(tcp(DatabaseUrl.DEFAULT_PORT)).build(),
              new NetworkPolicyEgressRuleBuilder().withPorts(tcp(443)).build())
        .endSpec()
        .build();
  }

  private static NetworkPolicyPeer namespacePeer(String namespace) {
    return new NetworkPolicyPeerBuilder().withNewNamespaceSelector()
        .withMatchLabels(Map.of("kubernetes.io/metadata.name", namespace)).endNamespaceSelector().build();
  }

  private static io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort tcp(int port) {
    return port("TCP", port);
  }

  private static io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort port(String protocol, int port) {
    return new NetworkPolicyPortBuilder().withProtocol(protocol).withPort(new IntOrString(port)).build();
  }
}
