package io.infracast.operator.reconciler;

import io.infracast.operator.api.v1alpha1.ApiSpec;
import io.infracast.operator.api.v1alpha1.DatabaseSpec;
import io.infracast.operator.api.v1alpha1.DeletionPolicy;
import io.infracast.operator.api.v1alpha1.EffectiveSettings;
import io.infracast.operator.api.v1alpha1.InfracastInstallationSpec;
import io.infracast.operator.api.v1alpha1.MigrationSpec;
import io.infracast.operator.api.v1alpha1.Profile;
import io.infracast.operator.api.v1alpha1.ResourcesSpec;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The development and production presets, from the documented ECS deployment's tables, and their merge with
 * the spec: a field set in the spec always wins over its preset.
 */
public final class Profiles {

  private static final Map<Profile, EffectiveSettings> PRESETS = Map.of(
      Profile.DEVELOPMENT, EffectiveSettings.builder()
          .profile(Profile.DEVELOPMENT)
          .cpu("500m").memory("1Gi")
          .minReplicas(1).maxReplicas(3).targetCPUUtilizationPercentage(80)
          .instanceClass("db.t3.medium").engineVersion("15").multiAZ(false)
          .storageGB(20).backupRetentionDays(7)
          .performanceInsights(false).deletionProtection(false).deletionPolicy(DeletionPolicy.Retain)
          .migrationBackoffLimit(2).migrationActiveDeadlineSeconds(1800).snapshotBeforeMigrate(false)
          .build(),
      Profile.PRODUCTION, EffectiveSettings.builder()
          .profile(Profile.PRODUCTION)
          .cpu("1").memory("2Gi")
          .minReplicas(2).maxReplicas(10).targetCPUUtilizationPercentage(70)
          .instanceClass("db.r5.large").engineVersion("15").multiAZ(true)
          .storageGB(100).maxStorageGB(1000).backupRetentionDays(35)
          .performanceInsights(true).deletionProtection(true).deletionPolicy(DeletionPolicy.Retain)
          .migrationBackoffLimit(2).migrationActiveDeadlineSeconds(1800).snapshotBeforeMigrate(true)
          .build());

  private Profiles() {}

  /** The preset of a profile, before any override. */
  public static EffectiveSettings preset(Profile profile) {
    return PRESETS.get(profile);
  }

  /** The profile's preset with every field the spec sets taking its place. */
  public static EffectiveSettings effective(InfracastInstallationSpec spec) {
    var preset = preset(spec.getProfile());
    var api = Optional.ofNullable(spec.getApi());
    var resources = api.map(ApiSpec::getResources);
    var db = Optional.ofNullable(spec.getDatabase());
    var migration = Optional.ofNullable(spec.getMigration());
    return preset.toBuilder()
        .cpu(or(resources, ResourcesSpec::getCpu, preset.getCpu()))
        .memory(or(resources, ResourcesSpec::getMemory, preset.getMemory()))
        .minReplicas(or(api, ApiSpec::getMinReplicas, preset.getMinReplicas()))
        .maxReplicas(or(api, ApiSpec::getMaxReplicas, preset.getMaxReplicas()))
        .targetCPUUtilizationPercentage(
            or(api, ApiSpec::getTargetCPUUtilizationPercentage, preset.getTargetCPUUtilizationPercentage()))
        .instanceClass(or(db, DatabaseSpec::getInstanceClass, preset.getInstanceClass()))
        .engineVersion(or(db, DatabaseSpec::getEngineVersion, preset.getEngineVersion()))
        .multiAZ(or(db, DatabaseSpec::getMultiAZ, preset.getMultiAZ()))
        .storageGB(or(db, DatabaseSpec::getStorageGB, preset.getStorageGB()))
        .maxStorageGB(or(db, DatabaseSpec::getMaxStorageGB, preset.getMaxStorageGB()))
        .backupRetentionDays(or(db, DatabaseSpec::getBackupRetentionDays, preset.getBackupRetentionDays()))
        .performanceInsights(or(db, DatabaseSpec::getPerformanceInsights, preset.getPerformanceInsights()))
        .deletionProtection(or(db, DatabaseSpec::getDeletionProtection, preset.getDeletionProtection()))
        .deletionPolicy(or(db, DatabaseSpec::getDeletionPolicy, preset.getDeletionPolicy()))
        .migrationBackoffLimit(or(migration, MigrationSpec::getBackoffLimit, preset.getMigrationBackoffLimit()))
        .migrationActiveDeadlineSeconds(
            or(migration, MigrationSpec::getActiveDeadlineSeconds, preset.getMigrationActiveDeadlineSeconds()))
        .snapshotBeforeMigrate(
            or(migration, MigrationSpec::getSnapshotBeforeMigrate, preset.getSnapshotBeforeMigrate()))
        .build();
  }

  private static <S, V> V or(Optional<S> section, Function<S, V> field, V preset) {
    return section.map(field).orElse(preset);
  }
}
