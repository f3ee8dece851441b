package io.infracast.api.meta;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What {@code GET /healthz} answers (the readiness probe's view of this process).
 *
 * @param status {@code ok}, {@code degraded} (PostgreSQL does not answer) or {@code not_ready} (the schema lacks
 *     a migration of this binary)
 * @param dbConnected whether PostgreSQL answered
 * @param reason why the process is not ready although the database answers; null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Health(String status, boolean dbConnected, String reason) {
  static final Health OK = new Health("ok", true, null);
  static final Health DEGRADED = new Health("degraded", false, null);

  static Health notReady(String reason) {
    return new Health("not_ready", true, reason);
  }

  @JsonIgnore
  public boolean isOk() {
    return reason == null && dbConnected;
  }
}
