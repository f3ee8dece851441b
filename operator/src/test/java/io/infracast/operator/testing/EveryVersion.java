package io.infracast.operator.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.function.Consumer;

/** Informers that hand every version of every object (added or changed) to one callback. */
public final class EveryVersion {

  private EveryVersion() {}

  static <T extends HasMetadata> SharedIndexInformer<T> inform(Informable<T> source, Consumer<T> callback) {
    return source.inform(handler(callback, deleted -> { }));
  }

  /** An event handler calling {@code seen} with every version added or changed and {@code deleted} on a delete. */
  public static <T extends HasMetadata> ResourceEventHandler<T> handler(Consumer<T> seen, Consumer<T> deleted) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        seen.accept(object);
      }

      @Override
      public void onUpdate(T old, T object) {
        seen.accept(object);
      }

      @Override
      public void onDelete(T object, boolean unknownFinalState) {
        deleted.accept(object);
      }
    };
  }
}
