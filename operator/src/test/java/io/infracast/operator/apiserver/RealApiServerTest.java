package io.infracast.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.infracast.operator.testing.RealApiServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Proves the test control plane is a real kube-apiserver: schema, CEL, server-side apply and watches. */
class RealApiServerTest {

  private static final String NS = "real-api-server-test";
  private static final ResourceDefinitionContext WIDGETS = new ResourceDefinitionContext.Builder()
      .withGroup("test.infracast.io").withVersion("v1").withPlural("widgets").withKind("Widget")
      .withNamespaced(true).build();

  private static KubernetesClient client;

  @BeforeAll
  static void applyCrd() {
    client = RealApiServer.newClient();
    RealApiServer.applyCrd(client, Path.of("src", "test", "resources", "fixtures", "widgets-crd.yaml"));
    client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .serverSideApply();
  }

  @AfterAll
  static void close() {
    client.close();
  }

  private static GenericKubernetesResource widget(String name, Map<String, Object> spec) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("test.infracast.io/v1").withKind("Widget")
        .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .addToAdditionalProperties("spec", spec).build();
  }

  private static io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource> widgets(String name) {
    return client.genericKubernetesResources(WIDGETS).inNamespace(NS).withName(name);
  }

  @Test
  void createsReadsAndServerSideAppliesWithFieldOwnership() {
    client.resource(widget("alpha", Map.of("size", 2, "color", "red"))).create();
    assertThat(widgets("alpha").get().<Object>get("spec", "size")).isEqualTo(2);

    // A second field manager owns "label"; re-applying as the first manager must not remove it.
    widgets("alpha").patch(new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY)
        .withFieldManager("someone-else").withForce(true).build(),
        "{\"apiVersion\":\"test.infracast.io/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"alpha\"},"
            + "\"spec\":{\"size\":2,\"label\":\"theirs\"}}");
    widgets("alpha").patch(new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY)
        .withFieldManager("infracast-operator").withForce(true).build(),
        "{\"apiVersion\":\"test.infracast.io/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"alpha\"},"
            + "\"spec\":{\"size\":3,\"color\":\"blue\"}}");

    var applied = widgets("alpha").get();
    assertThat(applied.<Object>get("spec", "size")).isEqualTo(3);
    assertThat(applied.<Object>get("spec", "color")).isEqualTo("blue");
    assertThat(applied.<Object>get("spec", "label")).isEqualTo("theirs");
    assertThat(applied.getMetadata().getManagedFields())
        .extracting(f -> f.getManager())
        .contains("someone-else", "infracast-operator");
  }

  @Test
  void watchSeesChangesAsTheyHappen() throws Exception {
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    var watch = client.genericKubernetesResources(WIDGETS).inNamespace(NS).withName("watched")
        .watch(new Watcher<GenericKubernetesResource>() {
          @Override
          public void eventReceived(Action action, GenericKubernetesResource resource) {
            events.add(action + ":" + resource.get("spec", "size"));
          }

          @Override
          public void onClose(WatcherException cause) {}
        });
    try {
      client.resource(widget("watched", Map.of("size", 1))).create();
      widgets("watched").edit(w -> {
        w.<Map<String, Object>>get("spec").put("size", 5);
        return w;
      });
      widgets("watched").delete();

      assertThat(events.poll(20, TimeUnit.SECONDS)).isEqualTo("ADDED:1");
      assertThat(events.poll(20, TimeUnit.SECONDS)).isEqualTo("MODIFIED:5");
      assertThat(events.poll(20, TimeUnit.SECONDS)).startsWith("DELETED");
    } finally {
      watch.close();
    }
  }

  @Test
  void rejectsObjectsThatBreakTheSchemaWithItsMessage() {
    assertThatThrownBy(() -> client.resource(widget("too-small", Map.of("size", 0))).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1");
    assertThatThrownBy(() -> client.resource(widget("bad-color", Map.of("size", 1, "color", "green"))).create())
        .hasMessageContaining("spec.color: Unsupported value: \"green\": supported values: \"red\", \"blue\"");
    assertThatThrownBy(() -> client.resource(widget("over-max", Map.of("size", 9, "max", 3))).create())
        .hasMessageContaining("size must not exceed max");
    assertThat(widgets("too-small").get()).isNull();
  }

  @Test
  void statusIsASeparateSubresource() {
    client.resource(widget("with-status", Map.of("size", 1))).create();
    var w = widgets("with-status").get();
    w.setAdditionalProperty("status", Map.of("seen", 7));
    client.resource(w).updateStatus();
    w = widgets("with-status").get();
    assertThat(w.<Object>get("status", "seen")).isEqualTo(7);

    // A main-resource update ignores status, as it does on every real cluster.
    w.setAdditionalProperty("status", Map.of("seen", 99));
    client.resource(w).update();
    assertThat(widgets("with-status").get().<Object>get("status", "seen")).isEqualTo(7);
  }
}
