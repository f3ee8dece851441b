package io.infracast.api.platform.http;

import java.util.Map;

/**
 * Thrown by handlers to answer with the API error body
 * {@code {"error":{"code":...,"message":...,"details":{...}}}}. The message is shown to the client.
 */
public final class ApiException extends RuntimeException {
  private final ErrorCode code;
  private final Map<String, Object> details;

  public ApiException(ErrorCode code, String message) {
    this(code, message, Map.of());
  }

  public ApiException(ErrorCode code, String message, Map<String, Object> details) {
    super(message, null, false, false);
    this.code = code;
    this.details = Map.copyOf(details);
  }

  public ErrorCode code() {
    return code;
  }

  public Map<String, Object> details() {
    return details;
  }

  public static ApiException notFound(String message) {
    return new ApiException(ErrorCode.NOT_FOUND, message);
  }

  public static ApiException badRequest(String message) {
    return new ApiException(ErrorCode.BAD_REQUEST, message);
  }
}
