package io.infracast.operator.testing;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.infracast.operator.dependent.InstallationLabels;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Watches a namespace's migration Jobs: which have not finished yet, and the most seen unfinished at once. */
public final class RunningJobs implements ResourceEventHandler<Job>, AutoCloseable {

  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private final AtomicInteger mostAtOnce = new AtomicInteger();
  private final SharedIndexInformer<Job> informer;

  public RunningJobs(KubernetesClient client, String namespace) {
    informer = client.batch().v1().jobs().inNamespace(namespace)
        .withLabel(InstallationLabels.COMPONENT, "migration").inform(this);
  }

  public int count() {
    return running.size();
  }

  public int mostAtOnce() {
    return mostAtOnce.get();
  }

  @Override
  public void onAdd(Job job) {
    onUpdate(null, job);
  }

  @Override
  public void onUpdate(Job old, Job job) {
    var finished = job.getStatus() != null && job.getStatus().getConditions() != null
        && !job.getStatus().getConditions().isEmpty();
    if (finished) {
      running.remove(job.getMetadata().getName());
    } else {
      running.add(job.getMetadata().getName());
      mostAtOnce.accumulateAndGet(running.size(), Math::max);
    }
  }

  @Override
  public void onDelete(Job job, boolean unknownFinalState) {
    running.remove(job.getMetadata().getName());
  }

  @Override
  public void close() {
    informer.close();
  }
}
