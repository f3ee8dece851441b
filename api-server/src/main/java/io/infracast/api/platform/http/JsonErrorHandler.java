package io.infracast.api.platform.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers itself, before any route runs (a URI or headers too large, a request line or header it
 * cannot parse): the API's JSON envelope instead of Jetty's HTML page, for every method.
 */
final class JsonErrorHandler extends ErrorHandler {
  private final ObjectMapper mapper;

  JsonErrorHandler(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
      Callback callback) throws IOException {
    String text = switch (code) {
      case 414 -> "request URI too long";
      case 431 -> "request headers too large";
      case 400 -> message == null || message.equalsIgnoreCase(HttpStatus.getMessage(code)) ? "malformed request"
          : "malformed request: " + message;
      default -> code >= 500 ? "internal error" : message == null ? HttpStatus.getMessage(code) : message;
    };
    byte[] body = mapper.writeValueAsBytes(HttpServer.envelope(ErrorCode.forStatus(code), text, Map.of()));
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
