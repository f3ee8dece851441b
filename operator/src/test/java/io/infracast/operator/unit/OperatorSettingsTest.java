package io.infracast.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.infracast.contract.ConfigException;
import io.infracast.operator.OperatorSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorSettingsTest {

  @Test
  void defaultsWatchEverythingWithLeaderElection() {
    var settings = OperatorSettings.fromEnvironment(Map.of("LEASE_NAMESPACE", "infracast-system",
        "HOSTNAME", "operator-7d9f"));
    assertThat(settings.watchNamespaces()).isEmpty();
    assertThat(settings.leaderElection()).contains(new OperatorSettings.LeaderElection("infracast-system",
        "operator-7d9f", Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2)));
    assertThat(settings.managementPort()).isEqualTo(8081);
    assertThat(settings.maxConcurrentRollouts()).isEqualTo(5);
    assertThat(settings.maxConcurrentFirstInstalls()).isEqualTo(50);
    assertThat(settings.resyncInterval()).isEqualTo(Duration.ofMinutes(10));
    assertThat(settings.aws().endpoint()).isEmpty();
    assertThat(settings.aws().reread()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void awsEndpointAndRereadAreRead() {
    var aws = OperatorSettings.fromEnvironment(Map.of("LEADER_ELECTION", "false",
        "AWS_ENDPOINT_URL", "http://127.0.0.1:5000", "AWS_REREAD_SECONDS", "30")).aws();
    assertThat(aws.endpoint()).contains(URI.create("http://127.0.0.1:5000"));
    assertThat(aws.reread()).isEqualTo(Duration.ofSeconds(30));
    assertThatThrownBy(() -> OperatorSettings.fromEnvironment(Map.of("LEADER_ELECTION", "false",
        "AWS_ENDPOINT_URL", "localhost:5000")))
        .hasMessage("AWS_ENDPOINT_URL must be an http or https URL such as http://localhost:5000, not"
            + " 'localhost:5000'");
  }

  @Test
  void readsAListOfNamespaces() {
    var settings = OperatorSettings.fromEnvironment(Map.of("WATCH_NAMESPACES", " tenant-a, tenant-b ,,",
        "LEADER_ELECTION", "false", "MAX_CONCURRENT_ROLLOUTS", "2", "MAX_CONCURRENT_FIRST_INSTALLS", "200"));
    assertThat(settings.watchNamespaces()).containsExactlyInAnyOrder("tenant-a", "tenant-b");
    assertThat(settings.leaderElection()).isEmpty();
    assertThat(settings.maxConcurrentRollouts()).isEqualTo(2);
    assertThat(settings.maxConcurrentFirstInstalls()).isEqualTo(200);
  }

  @Test
  void leaderElectionIsTrueOrFalseInAnyCaseLikeTheServicesBooleans() {
    assertThat(OperatorSettings.fromEnvironment(Map.of("LEADER_ELECTION", "FALSE")).leaderElection()).isEmpty();
    assertThat(OperatorSettings.fromEnvironment(Map.of("LEADER_ELECTION", " True ", "LEASE_NAMESPACE", "ops"))
        .leaderElection()).isPresent();
  }

  @Test
  void leaseTimingsAndThePodsNameAreRead() {
    var election = OperatorSettings.fromEnvironment(Map.of("LEASE_NAMESPACE", "ops", "POD_NAME", "operator-0",
        "HOSTNAME", "node-1", "LEASE_DURATION_SECONDS", "30", "LEASE_RENEW_DEADLINE_SECONDS", "20",
        "LEASE_RETRY_PERIOD_SECONDS", "5")).leaderElection().orElseThrow();
    assertThat(election).isEqualTo(new OperatorSettings.LeaderElection("ops", "operator-0", Duration.ofSeconds(30),
        Duration.ofSeconds(20), Duration.ofSeconds(5)));
    assertThat(OperatorSettings.fromEnvironment(Map.of("LEASE_NAMESPACE", "ops")).leaderElection().orElseThrow()
        .replicaName()).isEqualTo("infracast-operator");
  }

  @Test
  void leaseTimingsThatCannotWorkAreRefused() {
    assertThatThrownBy(() -> OperatorSettings.fromEnvironment(Map.of("LEASE_NAMESPACE", "ops",
        "LEASE_DURATION_SECONDS", "10")))
        .hasMessage("LEASE_RENEW_DEADLINE_SECONDS (10) must be less than LEASE_DURATION_SECONDS (10): a leader"
            + " must stop before another replica may take over");
    assertThatThrownBy(() -> OperatorSettings.fromEnvironment(Map.of("LEASE_NAMESPACE", "ops",
        "LEASE_DURATION_SECONDS", "3", "LEASE_RENEW_DEADLINE_SECONDS", "2", "LEASE_RETRY_PERIOD_SECONDS", "1")))
        .as("what fabric8's leader elector refuses to start with")
        .hasMessage("LEASE_RENEW_DEADLINE_SECONDS (2) must be more than 2.2 times LEASE_RETRY_PERIOD_SECONDS (1): a"
            + " leader must get to retry a failed renewal, with up to 120 % jitter, before it gives up");
    assertThatThrownBy(() -> OperatorSettings.fromEnvironment(Map.of("LEADER_ELECTION", "false",
        "LEASE_RETRY_PERIOD_SECONDS", "0.5")))
        .as("checked even while leader election is off")
        .hasMessage("LEASE_RETRY_PERIOD_SECONDS must be a whole number from 1 to 3600, not '0.5'");
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
