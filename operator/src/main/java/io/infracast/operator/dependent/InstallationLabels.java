package io.infracast.operator.dependent;

import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import java.util.Map;

/** The labels every owned object carries; the informers select on {@link #MANAGED_BY_SELECTOR}. */
public final class InstallationLabels {

  public static final String NAME = "app.kubernetes.io/name";
  public static final String INSTANCE = "app.kubernetes.io/instance";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String VERSION = "app.kubernetes.io/version";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  public static final String APP_NAME = "infracast";
  public static final String OPERATOR_NAME = "infracast-operator";
  public static final String MANAGED_BY_SELECTOR = MANAGED_BY + "=" + OPERATOR_NAME;

  private InstallationLabels() {}

  /** Labels of an object owned by the installation, for one component (api, migration, ...). */
  public static Map<String, String> of(InfracastInstallation installation, String component) {
    return Map.of(
        NAME, APP_NAME,
        INSTANCE, installation.getMetadata().getName(),
        COMPONENT, component,
        MANAGED_BY, OPERATOR_NAME);
  }

  /** The immutable selector of the API pods: never include the version, or upgrades could not change it. */
  public static Map<String, String> apiSelector(InfracastInstallation installation) {
    return Map.of(NAME, APP_NAME, INSTANCE, installation.getMetadata().getName(), COMPONENT, "api");
  }
}
