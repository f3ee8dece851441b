package io.infracast.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;

import io.infracast.operator.api.v1alpha1.ApiSpec;
import io.infracast.operator.api.v1alpha1.DatabaseSpec;
import io.infracast.operator.api.v1alpha1.DeletionPolicy;
import io.infracast.operator.api.v1alpha1.InfracastInstallationSpec;
import io.infracast.operator.api.v1alpha1.Profile;
import io.infracast.operator.api.v1alpha1.ResourcesSpec;
import io.infracast.operator.reconciler.Profiles;
import org.junit.jupiter.api.Test;

class ProfilesTest {

  private static InfracastInstallationSpec spec(Profile profile) {
    var spec = new InfracastInstallationSpec();
    spec.setProfile(profile);
    spec.setVersion("1.4.2");
    return spec;
  }

  @Test
  void developmentCarriesTheSeedsDevelopmentColumn() {
    var dev = Profiles.effective(spec(Profile.DEVELOPMENT));
    assertThat(dev.getCpu()).isEqualTo("500m");
    assertThat(dev.getMemory()).isEqualTo("1Gi");
    assertThat(dev.getMinReplicas()).isEqualTo(1);
    assertThat(dev.getMaxReplicas()).isEqualTo(3);
    assertThat(dev.getTargetCPUUtilizationPercentage()).isEqualTo(80);
    assertThat(dev.getInstanceClass()).isEqualTo("db.t3.medium");
    assertThat(dev.getMultiAZ()).isFalse();
    assertThat(dev.getStorageGB()).isEqualTo(20);
    assertThat(dev.getMaxStorageGB()).isNull();
    assertThat(dev.getBackupRetentionDays()).isEqualTo(7);
    assertThat(dev.getPerformanceInsights()).isFalse();
    assertThat(dev.getDeletionProtection()).isFalse();
    assertThat(dev.getSnapshotBeforeMigrate()).isFalse();
  }

  @Test
  void productionCarriesTheSeedsProductionColumn() {
    var prod = Profiles.effective(spec(Profile.PRODUCTION));
    assertThat(prod.getCpu()).isEqualTo("1");
    assertThat(prod.getMemory()).isEqualTo("2Gi");
    assertThat(prod.getMinReplicas()).isEqualTo(2);
    assertThat(prod.getMaxReplicas()).isEqualTo(10);
    assertThat(prod.getTargetCPUUtilizationPercentage()).isEqualTo(70);
    assertThat(prod.getInstanceClass()).isEqualTo("db.r5.large");
    assertThat(prod.getMultiAZ()).isTrue();
    assertThat(prod.getStorageGB()).isEqualTo(100);
    assertThat(prod.getMaxStorageGB()).isEqualTo(1000);
    assertThat(prod.getBackupRetentionDays()).isEqualTo(35);
    assertThat(prod.getPerformanceInsights()).isTrue();
    assertThat(prod.getDeletionProtection()).isTrue();
    assertThat(prod.getDeletionPolicy()).isEqualTo(DeletionPolicy.Retain);
    assertThat(prod.getSnapshotBeforeMigrate()).isTrue();
  }

  @Test
  void everySpecFieldOverridesItsPresetAndOnlyThatField() {
    var spec = spec(Profile.PRODUCTION);
    var api = new ApiSpec();
    api.setMaxReplicas(4);
    api.setResources(new ResourcesSpec(null, "3Gi"));
    spec.setApi(api);
    var db = new DatabaseSpec();
    db.setMultiAZ(false);
    db.setDeletionProtection(false);
    spec.setDatabase(db);

    var effective = Profiles.effective(spec);

    assertThat(effective.getMaxReplicas()).isEqualTo(4);
    assertThat(effective.getMemory()).isEqualTo("3Gi");
    assertThat(effective.getMultiAZ()).isFalse();
    assertThat(effective.getDeletionProtection()).isFalse();
    assertThat(effective).isEqualTo(Profiles.preset(Profile.PRODUCTION).toBuilder()
        .maxReplicas(4).memory("3Gi").multiAZ(false).deletionProtection(false).build());
  }
}
