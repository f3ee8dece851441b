package io.infracast.api.discovery.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infracast.api.platform.http.JsonBody;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The secret of each credential type, read from a request's {@code secret} object with a 400 naming the field:
 * {@code kubernetes} {@code {"server","token","ca_cert"?}} or {@code {"kubeconfig","context"?}} (what the shipped
 * kubernetes plugin reads), {@code aws} {@code {"access_key_id","secret_access_key"}}, {@code generic} any
 * non-empty object. Also what the API shows instead of it: a hint.
 */
public final class CredentialSecrets {
  public static final List<String> TYPES = List.of("kubernetes", "aws", "generic");
  /** The largest secret, as JSON. */
  public static final int MAX_BYTES = 64 * 1024;
  private static final Pattern SERVER = Pattern.compile("https?://[^\\s/]+(/\\S*)?");
  private static final Pattern ACCESS_KEY_ID = Pattern.compile("[A-Z0-9]{16,128}");
  /** A value shorter than this shows no characters in its hint. */
  private static final int HINT_MIN_LENGTH = 16;

  /** A checked secret and its hint. */
  public record Parsed(ObjectNode secret, String hint) {}

  private CredentialSecrets() {}

  /** Reads field {@code field} of {@code body} as a secret of {@code type} (one of {@link #TYPES}). */
  public static Parsed parse(JsonBody body, String field, String type) {
    ObjectNode secret = JsonNodeFactory.instance.objectNode();
    String hinted;
    switch (type) {
      case "kubernetes" -> {
        JsonBody s = body.requiredObject(field, Set.of("server", "token", "ca_cert", "kubeconfig", "context"));
        Optional<String> kubeconfig = s.optionalString("kubeconfig");
        if (kubeconfig.isPresent()) {
          for (String other : List.of("server", "token", "ca_cert")) {
            if (s.optionalString(other).isPresent()) {
              throw s.invalid(other, "goes with server and token, not with kubeconfig: give one or the other");
            }
          }
          secret.put("kubeconfig", text(s, "kubeconfig", kubeconfig.get(), MAX_BYTES));
          Optional<String> context = s.optionalString("context");
          if (context.isPresent()) {
            secret.put("context", context.get());
          }
          hinted = "";
          break;
        }
        if (s.optionalString("context").isPresent()) {
          throw s.invalid("context", "names a context of kubeconfig, which is not given");
        }
        String server = s.requiredString("server");
        if (server.length() > 2048 || !SERVER.matcher(server).matches()) {
          throw s.invalid("server", "must be the API server's http(s) URL, such as https://10.0.0.1:6443");
        }
        hinted = text(s, "token", s.requiredString("token"), 16 * 1024);
        secret.put("server", server);
        secret.put("token", hinted);
        Optional<String> ca = s.optionalString("ca_cert");
        if (ca.isPresent() && !ca.get().contains("-----BEGIN CERTIFICATE-----")) {
          throw s.invalid("ca_cert", "must be PEM certificates (-----BEGIN CERTIFICATE-----)");
        }
        if (ca.isPresent()) {
          secret.put("ca_cert", ca.get());
        }
      }
      case "aws" -> {
        JsonBody s = body.requiredObject(field, Set.of("access_key_id", "secret_access_key"));
        hinted = s.requiredString("access_key_id");
        if (!ACCESS_KEY_ID.matcher(hinted).matches()) {
          throw s.invalid("access_key_id", "must be an AWS access key id: 16 to 128 of A-Z and 0-9");
        }
        secret.put("access_key_id", hinted);
        secret.put("secret_access_key", text(s, "secret_access_key", s.requiredString("secret_access_key"), 1024));
      }
      default -> {
        secret = body.optionalObject(field);
        if (secret.isEmpty()) {
          throw body.invalid(field, "must be a non-empty object");
        }
        hinted = "";
      }
    }
    if (secret.toString().length() > MAX_BYTES) {
      throw body.invalid(field, "is larger than " + MAX_BYTES / 1024 + " KiB");
    }
    return new Parsed(secret, hint(hinted));
  }

  private static String text(JsonBody s, String field, String value, int max) {
    if (value.isBlank() || value.length() > max) {
      throw s.invalid(field, "must be 1 to " + max + " characters");
    }
    return value;
  }

  /** {@code ****} and the last 4 characters of a long enough value (the token, the access key id). */
  private static String hint(String value) {
    return "****" + (value.length() >= HINT_MIN_LENGTH ? value.substring(value.length() - 4) : "");
  }
}
