package io.infracast.operator.api.v1alpha1;

/** The CEL rule and example shared by every field that takes a KMS key ARN. */
final class KmsKeyArn {

  static final String RULE = "self.matches(r'^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:(key|alias)/.+$')";
  static final String MUST_BE = " must be a KMS key or alias ARN such as"
      + " arn:aws:kms:us-east-1:123456789012:key/<key-id>";

  private KmsKeyArn() {}
}
