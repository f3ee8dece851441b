package io.infracast.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.infracast.operator.testing.EveryVersion;
import io.infracast.operator.testing.OperatorTestBase;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A replica change (what the HPA does all day, or kubectl scale) is not a rollout: Ready stays, no Event. */
class ScaleTest extends OperatorTestBase {

  @Test
  void scalingTheDeploymentKeepsReadyAndRecordsNoEvent() throws InterruptedException {
    readyAt("scaled", "1.0.0");
    var eventsBefore = settledEventCount("scaled");
    var notReady = new CopyOnWriteArrayList<String>();
    var informer = installation("scaled").inform(EveryVersion.handler(
        installation -> installation.getStatus().getConditions().stream()
            .filter(c -> "Ready".equals(c.getType()) && !"True".equals(c.getStatus()))
            .forEach(c -> notReady.add(c.getReason() + ": " + c.getMessage())),
        deleted -> { }));
    try {
      var deployment = client.apps().deployments().inNamespace(namespace).withName("scaled-api");
      deployments.hold(); // the Deployment controller has not observed the new replica count for a while
      deployment.scale(3);
      Thread.sleep(4000); // two resyncs (every 2 s in tests) while the scale is unobserved
      deployments.release();
      await().atMost(TIMEOUT).until(() -> {
        var status = deployment.get().getStatus();
        return Objects.equals(status.getObservedGeneration(), deployment.get().getMetadata().getGeneration())
            && status.getAvailableReplicas() == 3;
      });
      deployment.scale(1);
      Thread.sleep(4000);

      assertThat(notReady).as("Ready=False while only the replica count changed").isEmpty();
      assertThat(events("scaled")).as("Events about a replica change").hasSize(eventsBefore);
    } finally {
      informer.close();
    }
  }

  /** The installation's Events once no more arrive: the last transitions' Events follow their status write. */
  private static int settledEventCount(String name) {
    var previous = new AtomicInteger(-1);
    return await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1))
        .until(() -> events(name).size() == previous.getAndSet(events(name).size()) ? previous.get() : -1,
            count -> count >= 0);
  }

  private static List<Event> events(String name) {
    return client.v1().events().inNamespace(namespace).withField("involvedObject.name", name).list().getItems();
  }
}
