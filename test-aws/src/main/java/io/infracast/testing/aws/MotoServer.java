package io.infracast.testing.aws;

import io.infracast.testing.postgres.ThrowawayPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * A throwaway moto server (an AWS API emulator) on a free loopback port, for the operator's and the api-server's
 * tests and the operator's ACK stand-in. It runs from the project's venv {@code .tools/moto/} (relative to the
 * module being tested), which {@code bin/test} creates ({@code require_moto} in {@code bin/lib/prerequisites.sh}).
 * Everything talks to it through the AWS SDK, as real code talks to AWS.
 */
public final class MotoServer implements AutoCloseable {

  /** moto's default account: what every client of {@link #s3()} acts as. */
  public static final String ACCOUNT_ID = "123456789012";
  public static final Region REGION = Region.US_EAST_1;
  private static final Path EXECUTABLE = Path.of("..", ".tools", "moto", "bin", "moto_server");
  private static final Duration STARTUP = Duration.ofSeconds(60);
  private static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

  private final Process process;
  private final Path log;
  private final int port;

  private MotoServer(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** Starts a server; fails with a clear message when the venv is missing. */
  public static MotoServer start() {
    if (!Files.isExecutable(EXECUTABLE)) {
      throw new IllegalStateException("tests need moto server at " + EXECUTABLE.toAbsolutePath().normalize()
          + ": run bin/test, which installs it (require_moto in bin/lib/prerequisites.sh)");
    }
    var port = ThrowawayPostgres.freePort();
    try {
      var log = Files.createTempFile("infracast-moto-", ".log");
      var process = new ProcessBuilder(EXECUTABLE.toString(), "-H", "127.0.0.1", "-p", String.valueOf(port))
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      var server = new MotoServer(process, log, port);
      server.awaitListening();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitListening() throws IOException {
    var deadline = Instant.now().plus(STARTUP);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("moto server exited with " + process.exitValue() + ":\n"
            + Files.readString(log));
      }
      try (var socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        sleep();
      }
    }
    close();
    throw new IllegalStateException("moto server did not listen on port " + port + " within " + STARTUP);
  }

  private static void sleep() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** An S3 client of the default account; the caller closes it. */
  public S3Client s3() {
    return s3(ACCOUNT_ID);
  }

  /** An S3 client acting as {@code accountId} (moto reads the account from a header of its own). */
  public S3Client s3(String accountId) {
    return configure(S3Client.builder().forcePathStyle(true), accountId).build();
  }

  /** An RDS client of the default account; the caller closes it. */
  public RdsClient rds() {
    return configure(RdsClient.builder(), ACCOUNT_ID).build();
  }

  /** A Secrets Manager client of the default account; the caller closes it. */
  public SecretsManagerClient secretsmanager() {
    return configure(SecretsManagerClient.builder(), ACCOUNT_ID).build();
  }

  /** Credentials of the default account, for code under test that takes a credentials provider. */
  public static StaticCredentialsProvider credentials() {
    return CREDENTIALS;
  }

  /** An EC2 client of the default account (VPCs and subnets for DB subnet groups); the caller closes it. */
  public Ec2Client ec2() {
    return configure(Ec2Client.builder(), ACCOUNT_ID).build();
  }

  /** A new VPC with a subnet in each of two availability zones, as a Multi-AZ DB subnet group needs: their ids. */
  public List<String> dataSubnets() {
    try (var ec2 = ec2()) {
      var vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
      return List.of("a", "b").stream().map(zone -> ec2.createSubnet(r -> r.vpcId(vpc)
          .cidrBlock(zone.equals("a") ? "10.0.1.0/24" : "10.0.2.0/24").availabilityZone(REGION.id() + zone))
          .subnet().subnetId()).toList();
    }
  }

  private <B extends AwsSyncClientBuilder<B, ?> & AwsClientBuilder<B, ?>> B configure(B builder, String accountId) {
    return builder
        .endpointOverride(endpoint())
        .region(REGION)
        .credentialsProvider(CREDENTIALS)
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(o -> o.putHeader("x-moto-account-id", accountId));
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      Files.deleteIfExists(log);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // best effort: a temp file
    }
  }
}
