package io.infracast.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.infracast.contract.ConfigException;
import io.infracast.operator.OperatorSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorSettingsTest {

  @Test
  void defaultsWatchEverythingWithLeaderElection() {
    var settings = OperatorSettings.fromEnvironment(Map.of("LEASE_NAMESPACE", "infracast-system"));
    assertThat(settings.watchNamespaces()).isEmpty();
    assertThat(settings.leaderElection()).isTrue();
    assertThat(settings.leaseNamespace()).isEqualTo("infracast-system");
    assertThat(settings.managementPort()).isEqualTo(8081);
    assertThat(settings.maxConcurrentRollouts()).isEqualTo(5);
    assertThat(settings.resyncInterval()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void readsAListOfNamespaces() {
    var settings = OperatorSettings.fromEnvironment(Map.of("WATCH_NAMESPACES", " tenant-a, tenant-b ,,",
        "LEADER_ELECTION", "false", "MAX_CONCURRENT_ROLLOUTS", "2"));
    assertThat(settings.watchNamespaces()).containsExactlyInAnyOrder("tenant-a", "tenant-b");
    assertThat(settings.leaderElection()).isFalse();
    assertThat(settings.maxConcurrentRollouts()).isEqualTo(2);
  }

  @Test
  void leaderElectionIsTrueOrFalseInAnyCaseLikeTheServicesBooleans() {
    assertThat(OperatorSettings.fromEnvironment(Map.of("LEADER_ELECTION", "FALSE")).leaderElection()).isFalse();
    assertThat(OperatorSettings.fromEnvironment(Map.of("LEADER_ELECTION", " True ", "LEASE_NAMESPACE", "ops"))
        .leaderElection()).isTrue();
  }

  @Test
  void badValuesAreRefusedWithTheSettingsName() {
    assertThatThrownBy(() -> OperatorSettings.fromEnvironment(Map.of("LEADER_ELECTION", "yes")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("LEADER_ELECTION must be true or false, got \"yes\"");
    assertThatThrownBy(() -> OperatorSettings.fromEnvironment(Map.of("LEADER_ELECTION", "false",
        "MANAGEMENT_PORT", "http")))
        .hasMessage("MANAGEMENT_PORT must be a whole number from 0 to 65535, not 'http'");
    assertThatThrownBy(() -> OperatorSettings.fromEnvironment(Map.of("LEADER_ELECTION", "false",
        "MAX_CONCURRENT_ROLLOUTS", "0")))
        .hasMessage("MAX_CONCURRENT_ROLLOUTS must be a whole number from 1 to 1000, not '0'");
    assertThatThrownBy(() -> OperatorSettings.fromEnvironment(Map.of()))
        .hasMessageContaining("set LEASE_NAMESPACE");
  }
}
