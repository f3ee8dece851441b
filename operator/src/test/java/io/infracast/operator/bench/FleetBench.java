package io.infracast.operator.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.infracast.operator.InfracastOperator;
import io.infracast.operator.OperatorClient;
import io.infracast.operator.OperatorSettings;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.Phase;
import io.infracast.operator.testing.FakeDeploymentController;
import io.infracast.operator.testing.FakeJobController;
import io.infracast.operator.testing.Installations;
import io.infracast.operator.testing.RealApiServer;
import io.infracast.operator.testing.WriteCounter;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * How the operator copes with a fleet, on the real API server with the fake Deployment and Job controllers:
 * time for N new installations to become Ready (first migration included) at a given rollout limit, writes
 * during idle resyncs, and heap after GC. Prints one Markdown table row; bench/operator/run.sh runs it.
 *
 * <p>Arguments: installations, rollout limit, idle seconds to watch, resync seconds, waiting-recheck seconds
 * (the shipped settings are 600 and 15).
 */
public final class FleetBench {

  public static void main(String[] args) throws Exception {
    int installations = Integer.parseInt(args[0]);
    int limit = Integer.parseInt(args[1]);
    int idleSeconds = Integer.parseInt(args[2]);
    int resyncSeconds = Integer.parseInt(args[3]);
    int recheckSeconds = Integer.parseInt(args[4]);
    var namespace = "bench-" + installations + "-" + limit;

    var client = RealApiServer.newClient();
    RealApiServer.applyCrd(client, RealApiServer.COMMITTED_CRD);
    client.resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .serverSideApply();
    var deployments = new FakeDeploymentController(client, namespace);
    var jobs = new FakeJobController(client, namespace);
    var writes = new WriteCounter();
    var operatorClient = OperatorClient.builder(Config.fromKubeconfig(RealApiServer.kubeConfigYaml()))
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("writes", writes)).build();
    var operator = InfracastOperator.start(operatorClient, new OperatorSettings(Set.of(namespace), Optional.empty(),
        0, Duration.ofSeconds(resyncSeconds), Duration.ofSeconds(recheckSeconds), limit, limit));

    var names = IntStream.range(0, installations).mapToObj(i -> "tenant-" + i).toList();
    names.forEach(name -> client.resource(Installations.databaseSecret(namespace, name)).serverSideApply());
    long start = System.nanoTime();
    names.forEach(name -> client.resource(Installations.development(namespace, name)).create());
    while (client.resources(InfracastInstallation.class).inNamespace(namespace).list().getItems().stream()
        .anyMatch(i -> i.getStatus() == null || i.getStatus().getPhase() != Phase.Ready)) {
      Thread.sleep(200);
    }
    double readySeconds = (System.nanoTime() - start) / 1e9;
    long writesToReady = writes.writes().size();

    Thread.sleep(3000);
    writes.reset();
    Thread.sleep(idleSeconds * 1000L);
    long idleWrites = writes.writes().size();
    long idleSecretReads = writes.reads("/secrets/");

    System.gc();
    Thread.sleep(500);
    long heapMiB = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;

    System.out.printf("| %d | %d | %d s / %d s | %.1f | %.2f | %d | %.1f | %d (%d reads) | %d |%n", installations,
        limit, resyncSeconds, recheckSeconds, readySeconds, installations / readySeconds, writesToReady, (double) writesToReady / installations,
        idleWrites, idleSecretReads, heapMiB);
    operator.close();
    operatorClient.close();
    deployments.close();
    jobs.close();
    client.close();
    RealApiServer.stop();
    System.exit(0);
  }
}
