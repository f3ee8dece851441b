package io.infracast.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.infracast.operator.reconciler.EventRecorder;
import io.infracast.operator.testing.Installations;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A status that cannot be written is told once per failure, not once per retry. */
@EnableKubernetesMockClient(crud = true)
class EventRecorderTest {

  KubernetesClient client;

  @Test
  void aStatusNotWrittenIsOneEventPerFailureUntilItIsWrittenAgain() {
    var recorder = new EventRecorder(client, Clock.systemUTC());
    var installation = Installations.development("tenants", "acme");

    recorder.statusNotWritten(installation, "the API server answered 500");
    recorder.statusNotWritten(installation, "the API server answered 500");
    recorder.statusNotWritten(installation, "the API server answered 429");
    recorder.statusWritten(installation);
    recorder.statusNotWritten(installation, "the API server answered 429");

    assertThat(messages()).containsExactlyInAnyOrder("the API server answered 500",
        "the API server answered 429", "the API server answered 429");
    assertThat(client.v1().events().inNamespace("tenants").list().getItems()).extracting(Event::getType)
        .containsOnly("Warning");
  }

  private List<String> messages() {
    return client.v1().events().inNamespace("tenants").list().getItems().stream().map(Event::getMessage).toList();
  }
}
