package io.infracast.api.evidence.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/** Artifacts as files under a local folder (development and single-machine runs), keys as relative paths. */
final class FolderStore implements EvidenceStore {
  private final Path root;

  FolderStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public void put(String key, byte[] content) {
    Path file = file(key);
    try {
      Files.createDirectories(file.getParent());
      // Written whole, then renamed: a reader never sees half an artifact.
      Path part = Files.createTempFile(file.getParent(), ".part-", ".json");
      Files.write(part, content);
      Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write evidence to " + file, e);
    }
  }

  @Override
  public Optional<byte[]> get(String key) {
    try {
      return Optional.of(Files.readAllBytes(file(key)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read evidence " + key, e);
    }
  }

  private Path file(String key) {
    Path file = root.resolve(key).normalize();
    if (!file.startsWith(root)) {
      throw new IllegalArgumentException("evidence key outside the store: " + key);
    }
    return file;
  }

  @Override
  public String location() {
    return root.toString();
  }

  @Override
  public void close() {}
}
