package io.infracast.api.compliance;

/** How bad a finding is, and the risk score (0-100) a rule gets when its pack sets none. */
public enum Severity {
  CRITICAL(90),
  HIGH(70),
  MEDIUM(50),
  LOW(30),
  INFO(10);

  private final int defaultRiskScore;

  Severity(int defaultRiskScore) {
    this.defaultRiskScore = defaultRiskScore;
  }

  public int defaultRiskScore() {
    return defaultRiskScore;
  }
}
