package io.infracast.operator.testing;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.infracast.operator.api.v1alpha1.ArtifactsSpec;
import io.infracast.operator.api.v1alpha1.DatabaseSpec;
import io.infracast.operator.api.v1alpha1.DeletionPolicy;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.InfracastInstallationSpec;
import io.infracast.operator.api.v1alpha1.IngressSpec;
import io.infracast.operator.api.v1alpha1.Profile;
import io.infracast.operator.api.v1alpha1.Provisioner;
import io.infracast.operator.api.v1alpha1.SecretKeyRef;
import io.infracast.operator.api.v1alpha1.ServiceAccountSpec;
import io.infracast.operator.api.v1alpha1.TerraformSpec;
import java.util.List;
import java.util.Map;

/** Installations as a user would write them, with external data (a Secret with DATABASE_URL and a bucket). */
public final class Installations {

  private Installations() {}

  public static InfracastInstallation development(String namespace, String name) {
    var spec = new InfracastInstallationSpec();
    spec.setProfile(Profile.DEVELOPMENT);
    spec.setVersion("1.0.0");
    var database = new DatabaseSpec();
    database.setProvisioner(Provisioner.EXTERNAL);
    database.setExternalSecretRef(new SecretKeyRef(databaseSecretName(name), null));
    spec.setDatabase(database);
    var artifacts = new ArtifactsSpec();
    artifacts.setProvisioner(Provisioner.EXTERNAL);
    artifacts.setBucketName(name + "-evidence");
    artifacts.setRegion("us-east-1");
    spec.setArtifacts(artifacts);
    var installation = new InfracastInstallation();
    installation.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    installation.setSpec(spec);
    return installation;
  }

  /** Production with public ingress and an IRSA role. */
  public static InfracastInstallation production(String namespace, String name) {
    var installation = development(namespace, name);
    var spec = installation.getSpec();
    spec.setProfile(Profile.PRODUCTION);
    var ingress = new IngressSpec();
    ingress.setHost(name + ".infracast.example.com");
    ingress.setCertificateArn("arn:aws:acm:us-east-1:123456789012:certificate/abc-123");
    ingress.setSourceCidrs(java.util.List.of("10.0.0.0/16"));
    var api = new io.infracast.operator.api.v1alpha1.ApiSpec();
    api.setMonitoringNamespaces(java.util.List.of("monitoring"));
    spec.setApi(api);
    spec.setIngress(ingress);
    var serviceAccount = new ServiceAccountSpec();
    serviceAccount.setRoleArn("arn:aws:iam::123456789012:role/infracast-" + name);
    spec.setServiceAccount(serviceAccount);
    return installation;
  }

  /** Development on the terraform provisioner, its runner reading AWS credentials from {@link #awsCredentials}. */
  public static InfracastInstallation terraform(String namespace, String name, DeletionPolicy policy) {
    var installation = development(namespace, name);
    var spec = installation.getSpec();
    spec.getDatabase().setProvisioner(Provisioner.TERRAFORM);
    spec.getDatabase().setExternalSecretRef(null);
    spec.getDatabase().setSubnetIds(List.of("subnet-0a", "subnet-0b"));
    spec.getDatabase().setSecurityGroupIds(List.of("sg-0c"));
    spec.getDatabase().setDeletionPolicy(policy);
    var artifacts = new ArtifactsSpec();
    artifacts.setProvisioner(Provisioner.TERRAFORM);
    spec.setArtifacts(artifacts);
    var terraform = new TerraformSpec();
    terraform.setVpcId("vpc-0123");
    terraform.setCredentialsSecretName(AWS_CREDENTIALS);
    spec.setTerraform(terraform);
    return installation;
  }

  private static final String AWS_CREDENTIALS = "aws-credentials";

  /** The AWS credentials {@link #terraform} installations name (not real ones). */
  public static Secret awsCredentials(String namespace) {
    return new SecretBuilder().withNewMetadata().withName(AWS_CREDENTIALS).withNamespace(namespace).endMetadata()
        .withStringData(Map.of("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY", "not-a-real-key"))
        .build();
  }

  public static String databaseSecretName(String name) {
    return name + "-database";
  }

  public static Secret databaseSecret(String namespace, String name) {
    return new SecretBuilder()
        .withMetadata(new ObjectMetaBuilder().withName(databaseSecretName(name)).withNamespace(namespace).build())
        .withStringData(Map.of("DATABASE_URL", "postgres://infracast:s3cret@db." + name + ".internal:5432/infracast"))
        .build();
  }
}
