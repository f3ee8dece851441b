package io.infracast.api.discovery.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inventory plugin reads its file as a stream: an inventory many times its heap is emitted whole. */
class InventoryPluginTest {
  private static final int NODES = 80_000;

  @Test
  void anInventoryLargerThanTheHeapIsEmittedNodeByNode(@TempDir Path dir) throws Exception {
    Path inventory = dir.resolve("inventory.json");
    try (Writer out = Files.newBufferedWriter(inventory, StandardCharsets.UTF_8)) {
      out.write("{\"nodes\": [");
      for (int i = 0; i < NODES; i++) {
        out.write((i == 0 ? "" : ",") + "{\"id\":\"aws:eu-west-1:aws.ec2.instance:i-" + i + "\",\"name\":\"n"
            + i + "\",\"properties\":{\"size\":\"m5.large\",\"zone\":\"eu-west-1a\",\"ami\":\"ami-0123456789\"}}");
      }
      out.write("], \"edges\": [{\"source_id\":\"a\",\"target_id\":\"b\",\"type\":\"contains\"}]}");
    }
    assertThat(Files.size(inventory)).as("the file is larger than the heap").isGreaterThan(8L << 20);

    Process plugin = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx8m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), InventoryPlugin.class.getName())
        .redirectError(dir.resolve("stderr").toFile()).start();
    try (var stdin = plugin.getOutputStream()) {
      stdin.write(("{\"config\":{\"path\":\"" + inventory + "\"}}").getBytes(StandardCharsets.UTF_8));
    }
    long[] lines = new long[1];
    String[] last = new String[1];
    try (var stdout = plugin.inputReader(StandardCharsets.UTF_8)) {
      stdout.lines().forEach(line -> {
        lines[0]++;
        last[0] = line;
      });
    }
    assertThat(plugin.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(plugin.exitValue()).as("stderr: %s", stderr(dir)).isZero();
    assertThat(lines[0]).isEqualTo(NODES + 1 + 1);
    assertThat(last[0]).contains("inventory: " + NODES + " nodes, 1 edges");
  }

  private static String stderr(Path dir) throws IOException {
    return Files.readString(dir.resolve("stderr"));
  }
}
