package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The documented ALB for the AWS Load Balancer Controller: HTTPS 443 with the ACM certificate, 80 redirected,
 * health check on /healthz, no stickiness, 30 s deregistration delay, /metrics not exposed. Only when
 * spec.ingress is set.
 */
@KubernetesDependent(informer = @Informer(labelSelector = InstallationLabels.MANAGED_BY_SELECTOR))
public class IngressDependentResource extends CRUDKubernetesDependentResource<Ingress, InfracastInstallation> {

  public static final String DEFAULT_CLASS = "alb";
  private static final String ALB = "alb.ingress.kubernetes.io/";
  static final String BLOCKED_ACTION = "block-internal-paths";

  @Override
  protected Ingress desired(InfracastInstallation installation, Context<InfracastInstallation> context) {
    var spec = installation.getSpec().getIngress();
    var annotations = new TreeMap<String, String>();
    annotations.put(ALB + "scheme", "internet-facing");
    annotations.put(ALB + "target-type", "ip");
    annotations.put(ALB + "listen-ports", "[{\"HTTP\": 80}, {\"HTTPS\": 443}]");
    annotations.put(ALB + "ssl-redirect", "443");
    annotations.put(ALB + "healthcheck-path", "/healthz");
    annotations.put(ALB + "healthcheck-port", "traffic-port");
    annotations.put(ALB + "success-codes", "200");
    annotations.put(ALB + "target-group-attributes",
        "deregistration_delay.timeout_seconds=" + DeploymentDependentResource.DRAIN_SECONDS
            + ",stickiness.enabled=false");
    Optional.ofNullable(spec.getCertificateArn()).ifPresent(arn -> annotations.put(ALB + "certificate-arn", arn));
    // /metrics is for Prometheus inside the cluster, never for the internet: the ALB answers 404 itself.
    annotations.put(ALB + "actions." + BLOCKED_ACTION, "{\"type\":\"fixed-response\",\"fixedResponseConfig\":"
        + "{\"contentType\":\"text/plain\",\"statusCode\":\"404\",\"messageBody\":\"not found\"}}");

    return new IngressBuilder()
        .withMetadata(OwnedMetadata.builder(installation, ObjectNames.api(installation), "api")
            .withAnnotations(annotations).build())
        .withNewSpec()
          .withIngressClassName(Optional.ofNullable(spec.getClassName()).orElse(DEFAULT_CLASS))
          .addNewRule()
            .withHost(spec.getHost())
            .withNewHttp()
              .addNewPath().withPath("/metrics").withPathType("Prefix")
                .withNewBackend().withNewService().withName(BLOCKED_ACTION)
                  .withNewPort().withName("use-annotation").endPort()
                .endService().endBackend()
              .endPath()
              .addNewPath().withPath("/").withPathType("Prefix")
                .withNewBackend().withNewService().withName(ObjectNames.api(installation))
                  .withNewPort().withNumber(ServiceDependentResource.PORT).endPort()
                .endService().endBackend()
              .endPath()
            .endHttp()
          .endRule()
        .endSpec()
        .build();
  }

  /** By name: when spec.ingress is removed, finding the Ingress to delete must not build it from that spec. */
  @Override
  protected ResourceID targetSecondaryResourceID(InfracastInstallation installation,
      Context<InfracastInstallation> context) {
    return new ResourceID(ObjectNames.api(installation), installation.getMetadata().getNamespace());
  }
}
