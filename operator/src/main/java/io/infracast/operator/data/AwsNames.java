package io.infracast.operator.data;

import io.infracast.operator.ShortHash;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import java.util.Locale;

/** Names of an installation's resources in AWS, whichever provisioner makes them. */
public final class AwsNames {

  private AwsNames() {}

  /**
   * An identifier unique per account and region (RDS instances, subnet groups), so it names the namespace as well
   * as the installation: {@code <namespace>-<name>}. A name RDS would refuse (a letter first, then letters, digits
   * and single hyphens, no hyphen last) or longer than {@code max} keeps a readable prefix and a hash of the exact
   * pair, so two installations never share one; so does a namespace with a hyphen, since only a namespace
   * without one tells where the name begins (a-b/c and a/b-c would both read a-b-c).
   */
  public static String identifier(InfracastInstallation installation, int max) {
    var namespace = installation.getMetadata().getNamespace();
    var name = installation.getMetadata().getName();
    var readable = namespace + "-" + name;
    var cleaned = readable.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    var letterFirst = Character.isLetter(cleaned.charAt(0));
    if (cleaned.equals(readable) && !namespace.contains("-") && letterFirst && cleaned.length() <= max
        && !cleaned.endsWith("-")) {
      return cleaned;
    }
    return ShortHash.uniqueWithin(letterFirst ? cleaned : "i" + cleaned, namespace + "/" + name, max);
  }
}
