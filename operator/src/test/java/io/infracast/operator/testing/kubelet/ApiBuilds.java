package io.infracast.operator.testing.kubelet;

import io.infracast.operator.migration.Versions;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which build of the api-server an image tag runs. Only one jar is built here, so a newer release is that jar
 * with a classpath overlay (test resources) holding the migrations the release adds: the service runs every
 * {@code db/migration/V*.sql} on its classpath and is not ready while one is missing from the schema, so an
 * upgrade really migrates and the new pods really need it.
 *
 * <pre>
 * image tag                               build                                           migrations
 * below 1.1.0 (1.0.0, 1.0.0-test), or     api-server/target/infracast-api-server.jar      what the jar ships
 *   not a version (latest, a digest)                                                      (V1 to V3)
 * 1.1.0 and above (1.1.0, 1.2.0, 2.0.0)   the same jar, api-builds/1.1.0/ first on its    those and V100
 *                                         classpath                                       (table release_1_1_0)
 * </pre>
 *
 * <p>A tag runs the newest build whose version is at most the tag (SemVer order), so a later tag keeps every
 * migration of an earlier one and its Job never meets a schema newer than its binary. The overlay's migrations
 * must be numbered above the jar's: when the service ships a V100 of its own, renumber the overlay's (the
 * constructor says so).
 */
final class ApiBuilds {
  /** The first version of each newer build, and its overlay folder under the test resources. */
  private static final Map<String, String> OVERLAYS = Map.of("1.1.0", "api-builds/1.1.0");
  private static final Pattern MIGRATION = Pattern.compile("db/migration/V(\\d+)__[^/]+\\.sql");

  private final Path jar;
  private final String mainClass;
  private final NavigableMap<String, Path> overlays = new TreeMap<>(Versions.ORDER);

  ApiBuilds(Path jar) {
    this.jar = jar;
    try (JarFile file = new JarFile(jar.toFile())) {
      mainClass = file.getManifest().getMainAttributes().getValue("Main-Class");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the api-server jar " + jar, e);
    }
    int shipped = migrations(jar).stream().max(Integer::compare).orElse(0);
    OVERLAYS.forEach((version, folder) -> overlays.put(version, overlay(folder, shipped)));
  }

  /** The versions of the migrations the jar ships, in order. */
  static List<Integer> migrations(Path jar) {
    try (JarFile file = new JarFile(jar.toFile())) {
      return file.stream().map(e -> version(e.getName())).flatMap(Optional::stream).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the api-server jar " + jar, e);
    }
  }

  /** The folder of an overlay, checked to add migrations above the jar's own. */
  private static Path overlay(String folder, int shipped) {
    URL url = ApiBuilds.class.getClassLoader().getResource(folder);
    if (url == null) {
      throw new IllegalStateException(folder + " is not on the test classpath (operator/src/test/resources)");
    }
    try {
      Path path = Path.of(url.toURI());
      List<Integer> added = new ArrayList<>();
      try (Stream<Path> files = Files.walk(path)) {
        files.map(f -> version(path.relativize(f).toString())).flatMap(Optional::stream).forEach(added::add);
      }
      if (added.isEmpty() || Collections.min(added) <= shipped) {
        throw new IllegalStateException("the build " + folder + " must add migrations above the jar's V" + shipped
            + ", it has " + added + ": renumber them in operator/src/test/resources/" + folder);
      }
      return path;
    } catch (URISyntaxException | IOException e) {
      throw new IllegalStateException("cannot read " + url, e);
    }
  }

  private static Optional<Integer> version(String entry) {
    Matcher m = MIGRATION.matcher(entry.replace('\\', '/'));
    return m.matches() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
  }

  /** The image's plugins (PLUGIN_DIR's default folder there): the api-server module's {@code plugins/}. */
  Path pluginDir() {
    return jar.toAbsolutePath().getParent().getParent().resolve("plugins");
  }

  /** The java arguments that run the image's build: {@code -jar JAR} or {@code -cp OVERLAY:JAR MAIN}. */
  List<String> javaArgs(String image) {
    return overlayOf(image).map(o -> List.of("-cp", o + File.pathSeparator + jar, mainClass))
        .orElse(List.of("-jar", jar.toString()));
  }

  /** What {@link #javaArgs} runs, for logs and events. */
  String describe(String image) {
    return jar.getFileName() + overlayOf(image).map(o -> " + " + o.getParent().getFileName() + "/" + o.getFileName())
        .orElse("");
  }

  private Optional<Path> overlayOf(String image) {
    String tag = tag(image);
    if (!Versions.isVersion(tag)) {
      return Optional.empty();
    }
    return Optional.ofNullable(overlays.floorEntry(tag)).map(Map.Entry::getValue);
  }

  /** The tag of {@code repo[:port]/name:tag}; empty for none or a digest. */
  static String tag(String image) {
    String name = image == null ? "" : image.substring(image.lastIndexOf('/') + 1);
    int colon = name.indexOf(':');
    return colon < 0 || name.contains("@") ? "" : name.substring(colon + 1);
  }
}
