package io.infracast.operator;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.util.StdConverter;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.infracast.operator.dependent.InstallationLabels;
import java.lang.ref.WeakReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * What the operator keeps of an object's {@code managedFields} as it reads it: only its own server-side apply entry,
 * each distinct field set once. JOSDK's SSA matcher compares desired and actual through that entry alone and only
 * reads it; the other entries (the controllers that write a Deployment's or a Job's status, kubectl, Argo CD) are
 * never read here. The field set of every tenant's Deployment (Job, Service, ...) is the same tree of a few hundred
 * nested maps, which as separate copies in the informer caches were most of the operator's heap at 1,000 tenants
 * (bench/fleet); shared and immutable, it costs once.
 *
 * <p>Safe because the operator never sends an object it read back whole: it applies objects it builds, and edits
 * with patches computed between two copies that read the same.
 */
final class OwnManagedFields extends StdConverter<List<ManagedFieldsEntry>, List<ManagedFieldsEntry>> {

  private static final String APPLY = "Apply";
  /** Canonical field-set trees, each its own key; weak, so a tree no object uses anymore goes. */
  private static final Map<Map<String, Object>, WeakReference<Map<String, Object>>> CANONICAL = new WeakHashMap<>();

  /** Puts the converter on ObjectMeta's managedFields (a Jackson mix-in). */
  abstract static class ObjectMetaMixIn {
    @JsonDeserialize(converter = OwnManagedFields.class)
    abstract void setManagedFields(List<ManagedFieldsEntry> managedFields);
  }

  @Override
  public List<ManagedFieldsEntry> convert(List<ManagedFieldsEntry> entries) {
    var kept = entries.stream()
        .filter(e -> InstallationLabels.OPERATOR_NAME.equals(e.getManager()) && APPLY.equals(e.getOperation()))
        .toList();
    kept.stream().map(ManagedFieldsEntry::getFieldsV1).filter(f -> f != null && f.getAdditionalProperties() != null)
        .forEach(f -> f.setAdditionalProperties(shared(f.getAdditionalProperties())));
    return kept;
  }

  /** The canonical, immutable copy of a field-set tree (maps of maps), its subtrees shared as well. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> shared(Map<String, Object> tree) {
    var copy = new LinkedHashMap<String, Object>(tree.size());
    for (var field : tree.entrySet()) {
      var value = field.getValue();
      if (value == null) {
        return tree; // not the shape of a field set: leave it as it came
      }
      copy.put(field.getKey(), value instanceof Map<?, ?> child ? shared((Map<String, Object>) child) : value);
    }
    var immutable = Map.copyOf(copy);
    synchronized (CANONICAL) {
      var known = CANONICAL.get(immutable);
      var canonical = known == null ? null : known.get();
      if (canonical == null) {
        CANONICAL.put(immutable, new WeakReference<>(immutable));
        canonical = immutable;
      }
      return canonical;
    }
  }
}
