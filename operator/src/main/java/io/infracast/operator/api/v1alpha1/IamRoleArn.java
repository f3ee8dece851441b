package io.infracast.operator.api.v1alpha1;

/** The CEL rule and example shared by every field that takes an IAM role ARN (IRSA). */
final class IamRoleArn {

  static final String RULE = "self.matches(r'^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$')";
  static final String MUST_BE = " must be an IAM role ARN with a 12-digit account id such as"
      + " arn:aws:iam::123456789012:role/";

  private IamRoleArn() {}
}
