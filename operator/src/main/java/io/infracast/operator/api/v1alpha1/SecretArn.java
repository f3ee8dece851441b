package io.infracast.operator.api.v1alpha1;

/** The CEL rule and example shared by every field that takes an AWS Secrets Manager secret ARN. */
final class SecretArn {

  /** The region is the fourth part: the operator asks Secrets Manager in the secret's own region. */
  static final String RULE = "self.matches(r'^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$')";
  static final String MUST_BE = " must be a Secrets Manager secret ARN such as"
      + " arn:aws:secretsmanager:us-east-1:123456789012:secret:<name>";

  private SecretArn() {}
}
