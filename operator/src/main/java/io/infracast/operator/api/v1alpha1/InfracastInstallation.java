package io.infracast.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One Infracast installation (one tenant's API, database and evidence bucket). */
@Group(InfracastInstallation.GROUP)
@Version(InfracastInstallation.VERSION)
@ShortNames("ici")
// kubectl shows these in this order (PrinterColumnOrder undoes the generator's sorting): the wanted version beside
// the serving one, so a stuck upgrade shows at a glance; -o wide (priority 1) adds the schema version and the
// Degraded condition's reason; Age last, as in kubectl's own tables.
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Wanted", jsonPath = ".spec.version", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Serving", jsonPath = ".status.version", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Schema", jsonPath = ".status.schemaVersion", priority = 1,
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Health", jsonPath = ".status.conditions[?(@.type==\"Degraded\")].reason",
    priority = 1, type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
// The operator names the installation's objects after it (dependent.ObjectNames, the migration Jobs); these two
// rules refuse at the API server a name that would give an object a name Kubernetes refuses. Every derived name
// is kept a DNS-1035 label (the Service's rule, the strictest), so ObjectNamesTest can check them all alike.
// A name never changes, so the rules judge it on create only (oldSelf is empty then): an installation created
// before them keeps accepting spec and status updates.
@SchemaCustomizer(BoundedObjectMeta.class)
@ValidationRule(value = "oldSelf.hasValue() || self.metadata.name.matches(r'^[a-z]([-a-z0-9]*[a-z0-9])?$')",
    optionalOldSelf = true,
    message = "metadata.name must be lowercase letters, digits and dashes, start with a letter and end with a"
        + " letter or digit (a DNS-1035 label): its Service is named after it",
    messageExpression = "'metadata.name \"' + self.metadata.name + '\" must be lowercase letters, digits and"
        + " dashes, start with a letter and end with a letter or digit (a DNS-1035 label): its Service is named"
        + " after it'")
@ValidationRule(value = "oldSelf.hasValue() || size(self.metadata.name) <= " + InfracastInstallation.MAX_NAME_LENGTH,
    optionalOldSelf = true,
    message = "metadata.name must be at most " + InfracastInstallation.MAX_NAME_LENGTH + " characters: the"
        + " operator names objects after it, the longest <name>-migrations, and Kubernetes allows 63",
    messageExpression = "'metadata.name \"' + self.metadata.name + '\" is longer than "
        + InfracastInstallation.MAX_NAME_LENGTH + " characters: the operator names objects after it, the longest"
        + " <name>-migrations, and Kubernetes allows 63'")
public class InfracastInstallation extends CustomResource<InfracastInstallationSpec, InfracastInstallationStatus>
    implements Namespaced {

  public static final String GROUP = "infracast.io";
  public static final String VERSION = "v1alpha1";
  /** 63 (a DNS-1035 label) minus the longest suffix ObjectNames appends, "-migrations". */
  public static final int MAX_NAME_LENGTH = 52;

  // Overridden only to describe spec and status for kubectl explain: CustomResource declares the fields.
  @Override
  @JsonPropertyDescription("What the user asks for: profile, version and the data plane; the operator never"
      + " writes it.")
  public InfracastInstallationSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("What the operator observed: phase, conditions, the versions served and migrated, and"
      + " the settings in effect. Written only by the operator.")
  public InfracastInstallationStatus getStatus() {
    return super.getStatus();
  }

  @Override
  protected InfracastInstallationStatus initStatus() {
    return new InfracastInstallationStatus();
  }
}
