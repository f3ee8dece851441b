package io.infracast.operator.apiserver;

import static io.infracast.operator.testing.Installations.databaseSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.infracast.operator.api.v1alpha1.Phase;
import io.infracast.operator.testing.Installations;
import io.infracast.operator.testing.OperatorTestBase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The operator's own health and Prometheus endpoints, as its Deployment's probes and a scraper see them. */
class ManagementEndpointsTest extends OperatorTestBase {

  private static HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + operatorManagementPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthReadinessAndMetricsAnswer() throws Exception {
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
    assertThat(get("/readyz").statusCode()).isEqualTo(200);

    client.resource(databaseSecret(namespace, "metered")).serverSideApply();
    client.resource(Installations.development(namespace, "metered")).create();
    await().atMost(Duration.ofSeconds(30)).until(() -> installation("metered").get().getStatus() != null
        && installation("metered").get().getStatus().getPhase() == Phase.Ready);

    var metrics = get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("operator_sdk_reconciliations_success_total", "jvm_memory_used_bytes");
  }
}
