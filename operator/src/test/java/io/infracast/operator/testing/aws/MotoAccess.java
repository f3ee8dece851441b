package io.infracast.operator.testing.aws;

import io.infracast.operator.OperatorSettings;
import io.infracast.testing.aws.MotoServer;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;

/** How the operator under test reaches AWS: a {@link MotoServer}, or nothing at all. */
public final class MotoAccess {
  private MotoAccess() {}

  /** The operator's access to {@code moto}: its endpoint, with credentials of the default account. */
  public static OperatorSettings.Aws of(MotoServer moto, Duration reread) {
    return new OperatorSettings.Aws(Optional.of(moto.endpoint()), reread, MotoServer.credentials());
  }

  /**
   * An operator without AWS credentials, as in a cluster without IRSA: the SDK's profile provider over an empty
   * profile file, which fails at once (the default chain would wait for instance metadata) and never finds keys
   * that happen to be in the environment.
   */
  public static OperatorSettings.Aws noCredentials(Duration reread) {
    var empty = ProfileFile.builder().content(new ByteArrayInputStream(new byte[0]))
        .type(ProfileFile.Type.CREDENTIALS).build();
    return new OperatorSettings.Aws(Optional.empty(), reread,
        ProfileCredentialsProvider.builder().profileFile(empty).profileName("none").build());
  }
}
