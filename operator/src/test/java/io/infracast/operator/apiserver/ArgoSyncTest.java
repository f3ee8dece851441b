package io.infracast.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.infracast.operator.testing.Installations;
import io.infracast.operator.testing.OperatorTestBase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * Argo CD with {@code ServerSideApply=true} applies an installation on every sync (and self-heal) under its field
 * manager, without forcing conflicts here so that any field both sides claim would fail the apply: while the
 * operator brings the installation to Ready, repeated applies never bump the generation, the operator never
 * writes spec, and neither side meets a conflict.
 */
class ArgoSyncTest extends OperatorTestBase {

  /** The field manager of Argo CD's server-side apply syncs. */
  private static final String ARGOCD = "argocd-controller";
  private static final Path TENANT = Path.of("..", "examples", "argocd", "tenants", "initech", "installation.yaml");

  @Test
  void repeatedServerSideAppliesNeitherDriftNorFight() throws Exception {
    var desired = new YAMLMapper().readValue(TENANT.toFile(), GenericKubernetesResource.class);
    var name = desired.getMetadata().getName();
    desired.getMetadata().setNamespace(namespace);
    client.resource(Installations.databaseSecret(namespace, name)).serverSideApply();

    var generations = new ArrayList<Long>();
    for (int sync = 0; sync < 5; sync++) {
      generations.add(sync(desired));
    }
    awaitVersionServed(name, "1.0.0");

    // The test's own change, as a commit to Git would bring.
    spec(desired).put("version", "1.1.0");
    for (int sync = 0; sync < 5; sync++) {
      generations.add(sync(desired));
    }
    awaitVersionServed(name, "1.1.0");
    generations.add(sync(desired));

    assertThat(generations).as("generation after each apply").containsExactly(1L, 1L, 1L, 1L, 1L, 2L, 2L, 2L, 2L,
        2L, 2L);
    var stored = installation(name).get();
    assertThat(stored.getMetadata().getGeneration()).isEqualTo(2L);
    assertThat(stored.getStatus().getObservedGeneration()).isEqualTo(2L);

    var managers = stored.getMetadata().getManagedFields();
    assertThat(managers).filteredOn(m -> ARGOCD.equals(m.getManager()))
        .singleElement().satisfies(m -> {
          assertThat(m.getOperation()).isEqualTo("Apply");
          assertThat(m.getSubresource()).isNull();
          assertThat(fields(m)).containsKey("f:spec");
        });
    assertThat(managers).as("only Argo CD owns spec fields")
        .filteredOn(m -> !ARGOCD.equals(m.getManager()))
        .allSatisfy(m -> assertThat(fields(m)).doesNotContainKey("f:spec"));
    assertThat(managers).filteredOn(m -> "status".equals(m.getSubresource()))
        .extracting(ManagedFieldsEntry::getManager).containsExactly("infracast-operator");
  }

  /** One sync: a server-side apply that fails on any conflict; returns the generation it left. */
  private static long sync(GenericKubernetesResource desired) throws InterruptedException {
    var applied = client.resource(desired).patch(new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY)
        .withFieldManager(ARGOCD).withForce(false).build());
    Thread.sleep(1000);
    return applied.getMetadata().getGeneration();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource resource) {
    return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> fields(ManagedFieldsEntry entry) {
    return (Map<String, Object>) Objects.requireNonNullElse(entry.getFieldsV1().getAdditionalProperties(),
        Map.of());
  }
}
