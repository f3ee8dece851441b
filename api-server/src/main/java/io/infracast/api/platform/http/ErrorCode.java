package io.infracast.api.platform.http;

/** The error codes of the API's error body, each with its HTTP status. */
public enum ErrorCode {
  BAD_REQUEST(400),
  UNAUTHORIZED(401),
  FORBIDDEN(403),
  NOT_FOUND(404),
  CONFLICT(409),
  RATE_LIMITED(429),
  INTERNAL_ERROR(500),
  /** A feature whose setting the service was started without (for example ENCRYPTION_KEYS). */
  NOT_CONFIGURED(503);

  private final int status;

  ErrorCode(int status) {
    this.status = status;
  }

  public int status() {
    return status;
  }

  /**
   * The code for an HTTP status that was not raised as an {@link ApiException} (404 from routing; 405, 413, 414,
   * 431 and other client errors are BAD_REQUEST with their own status).
   */
  public static ErrorCode forStatus(int status) {
    for (ErrorCode c : values()) {
      if (c.status == status) {
        return c;
      }
    }
    return status >= 500 ? INTERNAL_ERROR : BAD_REQUEST;
  }
}
