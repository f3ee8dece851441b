package io.infracast.api.platform.db;

import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about the current process. */
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
}
