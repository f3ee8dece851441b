package io.infracast.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.StandardHttpRequest;
import io.infracast.operator.reconciler.ReconcileErrors;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import io.javaoperatorsdk.operator.OperatorException;
import java.net.http.HttpTimeoutException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A failed reconcile as one line: the dependent, the object, what the API server said; never a stack trace. */
class ReconcileErrorsTest {

  private static final String DEPLOYMENT_URL =
      "https://10.0.0.1/apis/apps/v1/namespaces/tenants/deployments/acme-api?fieldManager=infracast-operator";

  @Test
  void aWorkflowFailureAsTheFrameworkWrapsItNamesTheDependentTheObjectAndTheAnswer() {
    var refused = deploymentApplyFailed(null, new StatusBuilder().withCode(500).withReason("InternalError")
        .withMessage("Internal error occurred: etcdserver: request timed out").build());

    var line = ReconcileErrors.describe(new OperatorException(workflowFailed(refused)));

    assertThat(line).isEqualTo("deployment: deployments/acme-api: the API server answered 500 (InternalError):"
        + " Internal error occurred: etcdserver: request timed out");
  }

  @Test
  void aRequestWithoutAnswerSaysSoWithoutTheExceptionsName() {
    var timedOut = deploymentApplyFailed(new HttpTimeoutException("request timed out"), null);

    var line = ReconcileErrors.describe(new OperatorException(workflowFailed(timedOut)));

    assertThat(line).isEqualTo("deployment: deployments/acme-api: the API server did not answer within the client's"
        + " request timeout");
  }

  @Test
  void anyOtherFailureIsItsRootCausesFirstLine() {
    var line = ReconcileErrors.describe(new OperatorException(new IllegalStateException("outer",
        new IllegalArgumentException("no image for version 9.9.9\n\tat io.infracast.operator.Somewhere"))));

    assertThat(line).isEqualTo("IllegalArgumentException: no image for version 9.9.9");
  }

  @Test
  void aLongAnswerIsCutToOneShortLine() {
    var refused = new KubernetesClientException(new StatusBuilder().withCode(422).withReason("Invalid")
        .withMessage("spec is invalid:\n" + "x".repeat(1000)).build());

    var line = ReconcileErrors.describe(refused);

    assertThat(line).hasSize(400).endsWith("...").doesNotContain("\n")
        .startsWith("the API server answered 422 (Invalid): spec is invalid: xxx");
  }

  /** As the client reports a failed request: the URL names the object; a request without answer has no status. */
  private static KubernetesClientException deploymentApplyFailed(Throwable cause, Status status) {
    return new KubernetesClientException("Failure executing: PATCH at: " + DEPLOYMENT_URL, cause,
        status == null ? -1 : status.getCode(), status, new StandardHttpRequest.Builder().uri(DEPLOYMENT_URL).build());
  }

  private static AggregatedOperatorException workflowFailed(Exception cause) {
    return new AggregatedOperatorException("Exception(s) during workflow execution.", Map.of("deployment", cause));
  }
}
