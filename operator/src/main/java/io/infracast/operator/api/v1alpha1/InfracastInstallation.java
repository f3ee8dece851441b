package io.infracast.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One Infracast installation (one tenant's API, database and evidence bucket). */
@Group(InfracastInstallation.GROUP)
@Version(InfracastInstallation.VERSION)
@ShortNames("ici")
// The generator orders printer columns by jsonPath, so kubectl shows Age, Ready, Phase, Version.
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Version", jsonPath = ".status.version", type = AdditionalPrinterColumn.Type.STRING)
public class InfracastInstallation extends CustomResource<InfracastInstallationSpec, InfracastInstallationStatus>
    implements Namespaced {

  public static final String GROUP = "infracast.io";
  public static final String VERSION = "v1alpha1";

  @Override
  protected InfracastInstallationStatus initStatus() {
    return new InfracastInstallationStatus();
  }
}
