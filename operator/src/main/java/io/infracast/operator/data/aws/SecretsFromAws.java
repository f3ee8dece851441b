package io.infracast.operator.data.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Secret;
import io.infracast.contract.ConfigException;
import io.infracast.contract.DatabaseUrl;
import io.infracast.operator.ShortHash;
import io.infracast.operator.api.v1alpha1.DatabaseSpec;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.SecretsSpec;
import io.infracast.operator.data.DatabaseState;
import io.infracast.operator.data.SecretReferences.Lookup;
import io.infracast.operator.data.ack.AckRds;
import io.infracast.operator.dependent.JwtSecretDependentResource;
import io.infracast.operator.dependent.ObjectNames;
import io.infracast.operator.reconciler.ReconcileFacts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The installation's secrets that come from AWS Secrets Manager (secrets.jwtSecretArn,
 * database.credentialsSecretArn), as read this reconcile. The operator copies each into a Secret of its own,
 * which the pods read by secretKeyRef; the pod template carries a hash of what those Secrets hold in the cluster
 * (never of what AWS just answered), so the pods roll only after the Secret they will read was updated. A value
 * that is unusable (unreadable, too short, not a PostgreSQL URL) is never written: the Secret keeps the last good
 * one and the pods keep running.
 *
 * @param sourced one entry per ARN the spec sets
 * @param checksum hash of the operator's Secrets that hold values from AWS, as the cluster has them; null when
 *     the spec sets no ARN
 * @param nextRead how long until the first of the ARNs is due to be read again
 */
public record SecretsFromAws(List<Sourced> sourced, String checksum, Optional<Duration> nextRead) {

  public static final SecretsFromAws NONE = new SecretsFromAws(List.of(), null, Optional.empty());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Which spec field a secret comes from, and which of the operator's Secrets and keys it goes to. */
  public enum Field {
    JWT("secrets.jwtSecretArn", "Jwt", JwtSecretDependentResource.KEY, ObjectNames::awsJwtSecret),
    DATABASE_URL("database.credentialsSecretArn", "Database", DatabaseSpec.DATABASE_URL_KEY,
        ObjectNames::awsDatabaseUrlSecret);

    private final String specField;
    private final String reasonPrefix;
    private final String key;
    private final Function<InfracastInstallation, String> secretName;

    Field(String specField, String reasonPrefix, String key, Function<InfracastInstallation, String> secretName) {
      this.specField = specField;
      this.reasonPrefix = reasonPrefix;
      this.key = key;
      this.secretName = secretName;
    }

    public String key() {
      return key;
    }

    /** The operator's Secret that holds this field's value. */
    public String secretName(InfracastInstallation installation) {
      return secretName.apply(installation);
    }

    /** The ARN the spec sets for this field, or null. */
    public String arn(InfracastInstallation installation) {
      var spec = installation.getSpec();
      return this == JWT ? Optional.ofNullable(spec.getSecrets()).map(SecretsSpec::getJwtSecretArn).orElse(null)
          : spec.getDatabase().getCredentialsSecretArn();
    }
  }

  /**
   * One ARN as read this reconcile.
   *
   * @param value what the operator's Secret is to hold now; null when {@code reason} says why not
   * @param reason CamelCase condition reason of the problem, null when the value is usable
   * @param message the problem, naming the ARN and spec field, quoting AWS; never the value
   * @param written the operator's Secret holds a value in the cluster (this one or an earlier one)
   */
  public record Sourced(Field field, String arn, String value, String reason, String message, boolean written) {
    public boolean usable() {
      return value != null;
    }

    /** Never prints the value: facts may be logged, secrets never. */
    @Override
    public String toString() {
      return "Sourced[" + field + " " + arn + (usable() ? "" : " " + reason + ": " + message) + ", written="
          + written + "]";
    }
  }

  /**
   * Reads every ARN the spec sets (from the cache of {@link AwsReads} unless due) and finds the operator's
   * Secrets among {@code cached}, the Secrets the informers hold for the installation.
   */
  public static SecretsFromAws gather(InfracastInstallation installation, AwsReads reads, List<Secret> cached) {
    var sourced = new ArrayList<Sourced>();
    for (var field : Field.values()) {
      var arn = field.arn(installation);
      if (arn != null) {
        sourced.add(read(installation, field, arn, reads.secret(arn), stored(installation, field, cached)));
      }
    }
    if (sourced.isEmpty()) {
      return NONE;
    }
    var checksum = ShortHash.of(sourced.stream().map(s -> s.field() + "=" + stored(installation, s.field(), cached)
        .orElse("")).collect(Collectors.joining("\n")), 8);
    var next = sourced.stream().map(s -> reads.untilSecretDue(s.arn())).min(Duration::compareTo);
    return new SecretsFromAws(List.copyOf(sourced), checksum, next);
  }

  /** The ARN of {@code field}, as read; empty when the spec does not set it. */
  public Optional<Sourced> of(Field field) {
    return sourced.stream().filter(s -> s.field() == field).findFirst();
  }

  /** The JWT key read from AWS is unusable: the problem to show, as reason and message. */
  public Optional<Sourced> jwtProblem() {
    return of(Field.JWT).filter(s -> !s.usable());
  }

  /** A value was read but its Secret was never written yet: the pods cannot start before it is. */
  public boolean pending() {
    return sourced.stream().anyMatch(s -> s.usable() && !s.written());
  }

  /** The database as database.credentialsSecretArn gives it; empty when the spec does not set that field. */
  public Optional<DatabaseState> database(InfracastInstallation installation) {
    return of(Field.DATABASE_URL).map(s -> {
      var secret = Field.DATABASE_URL.secretName(installation);
      if (!s.usable()) {
        return DatabaseState.notReady(s.reason(), s.message());
      }
      var hosts = DatabaseUrl.parse(s.value()).hosts();
      if (!s.written()) {
        return DatabaseState.provisioning("DatabaseUrlPending", "read the credentials of the database at " + hosts
            + " from " + s.arn() + "; Secret " + secret + " with its DATABASE_URL is being written");
      }
      return DatabaseState.ready("ExternalDatabase", "Using the database at " + hosts + " from AWS Secrets Manager"
          + " secret " + s.arn() + " (Secret " + secret + ")", hosts);
    });
  }

  private static Sourced read(InfracastInstallation installation, Field field, String arn, Lookup read,
      Optional<String> stored) {
    var where = "AWS secret " + arn + " (" + field.specField + ")";
    if (!read.found()) {
      return new Sourced(field, arn, null, field.reasonPrefix + read.reason(), where + ": " + read.message(),
          stored.isPresent());
    }
    try {
      var value = field == Field.JWT ? jwt(read.value(), where) : databaseUrl(read.value(), where);
      return new Sourced(field, arn, value, null, null, stored.isPresent());
    } catch (ConfigException e) {
      var reason = field == Field.JWT ? "JwtSecretTooShort" : "DatabaseUrlInvalid";
      return new Sourced(field, arn, null, reason, e.getMessage(), stored.isPresent());
    }
  }

  private static String jwt(String value, String where) {
    if (value.getBytes(StandardCharsets.UTF_8).length < ReconcileFacts.MIN_JWT_SECRET_BYTES) {
      throw new ConfigException(where + " holds fewer than " + ReconcileFacts.MIN_JWT_SECRET_BYTES
          + " bytes; the service refuses such a JWT key");
    }
    return value;
  }

  /**
   * A PostgreSQL URL as it is, or one made from JSON credentials as RDS and Secrets Manager's rotation functions
   * keep them ({@code username}, {@code password}, {@code host}, {@code port}, {@code dbname}); either way checked
   * with the service's own parser. Messages name the keys at fault, never their values.
   */
  private static String databaseUrl(String value, String where) {
    var trimmed = value.trim();
    if (!trimmed.startsWith("{")) {
      DatabaseUrl.parse(trimmed, where);
      return trimmed;
    }
    JsonNode json;
    try {
      json = JSON.readTree(trimmed);
    } catch (JsonProcessingException e) {
      throw new ConfigException(where + " is neither a PostgreSQL URL nor valid JSON");
    }
    var missing = List.of("username", "password", "host").stream()
        .filter(key -> !json.hasNonNull(key) || json.get(key).asText().isBlank()).toList();
    if (!missing.isEmpty()) {
      throw new ConfigException(where + " has no " + String.join(", ", missing) + ": the JSON form needs username,"
          + " password and host (port and dbname are optional), or store a postgres:// URL instead");
    }
    var port = json.hasNonNull("port") ? json.get("port").asText() : String.valueOf(DatabaseUrl.DEFAULT_PORT);
    if (!port.matches("[0-9]{1,5}")) {
      throw new ConfigException(where + " has a port that is not a number");
    }
    var url = DatabaseUrl.of(json.get("host").asText(), Integer.parseInt(port),
        json.hasNonNull("dbname") ? json.get("dbname").asText() : AckRds.DATABASE_NAME,
        json.get("username").asText(), json.get("password").asText()).withCredentials();
    DatabaseUrl.parse(url, where);
    return url;
  }

  /** What the operator's Secret for {@code field} holds in the cluster (base64, as stored). */
  public static Optional<String> stored(InfracastInstallation installation, Field field,
      List<Secret> cached) {
    var name = field.secretName(installation);
    return cached.stream().filter(s -> name.equals(s.getMetadata().getName())
            && installation.getMetadata().getNamespace().equals(s.getMetadata().getNamespace()))
        .findFirst().map(Secret::getData).map(data -> data.get(field.key())).filter(v -> !v.isBlank());
  }
}
