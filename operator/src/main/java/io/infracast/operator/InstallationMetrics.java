package io.infracast.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.Phase;
import io.infracast.operator.reconciler.StatusAggregator;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What the chart's PrometheusRule alerts on, read from the installations' status in the operator's cache at
 * scrape time (no API call): {@code infracast_installations{phase}}, {@code infracast_installations_migration_failed}
 * and {@code infracast_installation_progressing_longest_seconds}. A replica that does not lead has no cache and
 * reports 0, so sum or max over replicas gives the fleet.
 */
final class InstallationMetrics {

  private InstallationMetrics() {}

  static void bindTo(MeterRegistry registry, Supplier<Stream<InfracastInstallation>> installations, Clock clock) {
    for (var phase : Phase.values()) {
      Gauge.builder("infracast.installations", () -> installations.get()
              .filter(i -> i.getStatus() != null && i.getStatus().getPhase() == phase).count())
          .description("Installations in each phase").tag("phase", phase.name()).register(registry);
    }
    Gauge.builder("infracast.installations.migration.failed", () -> installations.get()
            .filter(i -> condition(i, StatusAggregator.MIGRATED)
                .filter(c -> "MigrationFailed".equals(c.getReason())).isPresent()).count())
        .description("Installations whose migration Job failed; raise spec.migration.retry to retry")
        .register(registry);
    Gauge.builder("infracast.installation.progressing.longest", () -> installations.get()
            .flatMap(i -> condition(i, StatusAggregator.PROGRESSING).filter(c -> "True".equals(c.getStatus()))
                .stream())
            .mapToLong(c -> Duration.between(Instant.parse(c.getLastTransitionTime()), clock.instant()).toSeconds())
            .max().orElse(0))
        .description("How long the installation progressing longest (migrating, rolling out or waiting for a slot)"
            + " has been at it")
        .baseUnit("seconds").register(registry);
  }

  private static Optional<Condition> condition(InfracastInstallation installation, String type) {
    return Optional.ofNullable(installation.getStatus()).flatMap(status -> status.condition(type));
  }
}
