package io.infracast.api.platform.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about processes: this one, and a PostgreSQL found running. */
public final class Processes {
  private Processes() {}

  /** True when the effective user is root (uid 0); PostgreSQL will not start then. */
  public static boolean runningAsRoot() {
    try {
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      return uid instanceof Integer i && i == 0;
    } catch (Exception e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  /**
   * True when {@code process} is a {@code postgres} server whose working directory is {@code dataDir}: the
   * postmaster runs in its data directory, so this tells it from an unrelated program that got the same pid
   * (Linux: {@code /proc}; false when it cannot be told).
   */
  public static boolean isPostgresIn(ProcessHandle process, Path dataDir) {
    boolean postgres = process.info().command().map(c -> Path.of(c).getFileName().toString().equals("postgres"))
        .orElse(false);
    try {
      return postgres && Files.isSameFile(Path.of("/proc", Long.toString(process.pid()), "cwd"), dataDir);
    } catch (IOException e) {
      return false;
    }
  }
}
