package io.infracast.api.compliance.internal;

import static net.logstash.logback.argument.StructuredArguments.kv;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The active rules: the packs inside the jar, plus the {@code *.yaml}/{@code *.yml} files of an optional folder
 * ({@code RULES_DIR}), looked at again every few seconds. A file whose modification time or size changed is parsed
 * again; a new version that cannot be used (bad YAML, a bad rule, a rule id another active pack has) is rejected
 * with an ERROR naming the file and the reason, and the file's previous version stays active. A deleted file's
 * rules go.
 */
public final class RulePacks implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RulePacks.class);
  /** The packs shipped in the jar, under {@code io/infracast/api/compliance/rules/}. */
  static final List<String> BUILT_IN = List.of("kubernetes.yaml");

  /** A file as last seen: its modification time and size, and the pack from it that is active (or none). */
  private record Seen(FileTime modified, long size, RulePack active) {}

  private final List<RulePack> builtIn;
  private final Optional<Path> dir;
  private final Map<Path, Seen> files = new HashMap<>();
  private volatile List<Rule> rules;
  private final ScheduledExecutorService watcher;

  /**
   * Loads the built-in packs and the folder's, and when {@code every} is positive looks at the folder again that
   * often. A built-in pack that does not parse is a bug of this release: it fails the start.
   */
  public RulePacks(Optional<Path> dir, Duration every) {
    this.dir = dir;
    List<RulePack> packs = new ArrayList<>();
    for (String name : BUILT_IN) {
      try (InputStream in = RulePacks.class.getResourceAsStream("/io/infracast/api/compliance/rules/" + name)) {
        packs.add(RulePack.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (RulePack.Rejected e) {
        throw new IllegalStateException("built-in rule pack " + name + " is invalid: " + e.getMessage());
      }
    }
    builtIn = List.copyOf(packs);
    reload();
    if (dir.isPresent() && !every.isZero()) {
      watcher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rule-packs");
        t.setDaemon(true);
        return t;
      });
      watcher.scheduleWithFixedDelay(this::reloadQuietly, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    } else {
      watcher = null;
    }
  }

  /** The rules now active, in pack order. */
  public List<Rule> rules() {
    return rules;
  }

  private void reloadQuietly() {
    try {
      reload();
    } catch (RuntimeException e) {
      log.error("could not look at the rule packs folder: {}", e.getMessage());
    }
  }

  /**
   * Looks at the folder now; returns the reasons of the packs rejected by this look (already logged), empty
   * when every changed file was taken.
   */
  public synchronized List<String> reload() {
    Set<Path> current = dir.map(RulePacks::listing).orElse(Set.of());
    List<String> rejected = new ArrayList<>();
    files.keySet().removeIf(f -> {
      boolean gone = !current.contains(f);
      if (gone) {
        log.info("rule pack file removed: its rules are no longer active", kv("file", f.toString()));
      }
      return gone;
    });
    for (Path file : current) {
      Seen before = files.get(file);
      FileTime modified;
      long size;
      String text;
      try {
        modified = Files.getLastModifiedTime(file);
        size = Files.size(file);
        if (before != null && before.modified().equals(modified) && before.size() == size) {
          continue;
        }
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        continue; // removed or unreadable between listing and reading: looked at again next time
      }
      RulePack previous = before == null ? null : before.active();
      try {
        RulePack pack = RulePack.parse(text);
        checkUnique(pack, file);
        files.put(file, new Seen(modified, size, pack));
        log.info("rule pack loaded", kv("file", file.toString()), kv("pack", pack.id()),
            kv("rules", pack.rules().size()));
      } catch (RulePack.Rejected e) {
        String reason = "rule pack " + file + " rejected: " + e.getMessage() + "; "
            + (previous == null ? "none of its rules are active" : "its previous version (pack " + previous.id()
                + ", " + previous.rules().size() + " rules) stays active");
        log.error(reason);
        rejected.add(reason);
        files.put(file, new Seen(modified, size, previous));
      }
    }
    List<Rule> all = new ArrayList<>();
    builtIn.forEach(p -> all.addAll(p.rules()));
    files.values().stream().map(Seen::active).filter(p -> p != null).forEach(p -> all.addAll(p.rules()));
    rules = List.copyOf(all);
    return rejected;
  }

  /** A rule id names findings: it may be active in one pack only. */
  private void checkUnique(RulePack pack, Path file) throws RulePack.Rejected {
    Map<String, String> owners = new LinkedHashMap<>();
    builtIn.forEach(p -> p.rules().forEach(r -> owners.put(r.id(), "the built-in pack " + p.id())));
    files.forEach((f, seen) -> {
      if (!f.equals(file) && seen.active() != null) {
        seen.active().rules().forEach(r -> owners.put(r.id(), f.toString()));
      }
    });
    for (Rule r : pack.rules()) {
      if (owners.containsKey(r.id())) {
        throw new RulePack.Rejected("rule id " + r.id() + " is already active in " + owners.get(r.id()));
      }
    }
  }

  /** The folder's pack files, in name order (packs load in that order: the first to claim a rule id keeps it). */
  private static Set<Path> listing(Path dir) {
    Set<Path> out = new TreeSet<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml") && Files.isRegularFile(p))
          .forEach(out::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  @Override
  public void close() {
    if (watcher != null) {
      watcher.shutdownNow();
    }
  }
}
