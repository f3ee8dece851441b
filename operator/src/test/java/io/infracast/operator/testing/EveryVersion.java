package io.infracast.operator.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.function.Consumer;

/** An informer that hands every version of every object (added or changed) to one callback. */
final class EveryVersion {

  private EveryVersion() {}

  static <T extends HasMetadata> SharedIndexInformer<T> inform(Informable<T> source, Consumer<T> callback) {
    return source.inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        callback.accept(object);
      }

      @Override
      public void onUpdate(T old, T object) {
        callback.accept(object);
      }

      @Override
      public void onDelete(T object, boolean unknownFinalState) {}
    });
  }
}
