package io.infracast.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.data.ack.AckRds;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The names the operator gives RDS, which AWS refuses unless they follow its rules, and which must not collide. */
class AckRdsNamesTest {

  /** RDS: a letter first, letters, digits and single hyphens, no hyphen last. */
  private static final Pattern RDS_IDENTIFIER = Pattern.compile("[a-z](-?[a-z0-9])*");

  private static InfracastInstallation installation(String namespace, String name) {
    var installation = new InfracastInstallation();
    installation.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    return installation;
  }

  @Test
  void aPlainNamespaceAndNameReadAsThemselves() {
    assertThat(AckRds.instanceIdentifier(installation("tenants", "acme"))).isEqualTo("tenants-acme");
    assertThat(AckRds.snapshotIdentifier(installation("tenants", "acme"), "1.4.2"))
        .isEqualTo("tenants-acme-pre-1-4-2");
  }

  @Test
  void namesRdsWouldRefuseOrThatCollideGetAHashAndStayValid() {
    var digitFirst = AckRds.instanceIdentifier(installation("2024-tenants", "acme"));
    var doubleHyphen = AckRds.instanceIdentifier(installation("a", "b--c"));
    var singleHyphen = AckRds.instanceIdentifier(installation("a-b", "c"));
    var long1 = AckRds.instanceIdentifier(installation("n".repeat(40), "x".repeat(40)));
    var long2 = AckRds.instanceIdentifier(installation("n".repeat(40), "x".repeat(39) + "y"));
    assertThat(java.util.List.of(digitFirst, doubleHyphen, singleHyphen, long1, long2))
        .allSatisfy(id -> assertThat(id).matches(RDS_IDENTIFIER).hasSizeLessThanOrEqualTo(63))
        .doesNotHaveDuplicates();
    assertThat(AckRds.instanceIdentifier(installation("a", "b-c"))).as("a-b/c and a/b-c read alike")
        .isNotEqualTo(singleHyphen);
  }

  @Test
  void versionsThatReadAlikeOnceDashedGetSnapshotsOfTheirOwn() {
    var acme = installation("tenants", "acme");
    var dotted = AckRds.snapshotIdentifier(acme, "1.5.0-rc.1");
    var dashed = AckRds.snapshotIdentifier(acme, "1.5.0-rc-1");
    var upper = AckRds.snapshotIdentifier(acme, "1.5.0-RC.1");
    assertThat(java.util.List.of(dotted, dashed, upper)).doesNotHaveDuplicates()
        .allSatisfy(id -> assertThat(id).matches(RDS_IDENTIFIER).startsWith("tenants-acme-pre-1-5-0-rc-1"));
  }
}
