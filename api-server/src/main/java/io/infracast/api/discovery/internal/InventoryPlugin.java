package io.infracast.api.discovery.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The static-inventory discovery plugin (a program of its own, started by {@code plugins/inventory}): reads the
 * request on stdin, takes the inventory from {@code config.inventory} (inline) or the JSON or YAML file at
 * {@code config.path}, and writes its {@code nodes} and {@code edges} as plugin output lines. The service checks
 * each line; this only checks the inventory's shape. Errors go to stderr with exit code 1, never quoting the file
 * (it may be any file the service can read).
 */
public final class InventoryPlugin {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  private InventoryPlugin() {}

  public static void main(String[] args) throws IOException {
    try {
      JsonNode request = JSON.readTree(System.in);
      Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
      emit(inventory(request == null ? JSON.createObjectNode() : request.path("config")), out);
      out.flush();
    } catch (InventoryException e) {
      System.err.println("inventory: " + e.getMessage());
      System.exit(1);
    }
  }

  private static JsonNode inventory(JsonNode config) throws InventoryException {
    if (config.hasNonNull("inventory") == config.hasNonNull("path")) {
      throw new InventoryException("config needs either \"inventory\" (the inventory itself) or \"path\" (a JSON "
          + "or YAML file), not both or neither");
    }
    if (config.hasNonNull("inventory")) {
      return config.get("inventory");
    }
    if (!config.get("path").isTextual()) {
      throw new InventoryException("config.path must be a string");
    }
    Path path = Path.of(config.get("path").asText());
    try {
      // YAML is a superset of JSON: one parser reads both.
      return YAML.readTree(Files.readString(path, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new InventoryException("no inventory file at " + path);
    } catch (JsonProcessingException e) {
      throw new InventoryException(path + " is not a JSON or YAML document (line "
          + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
    } catch (IOException e) {
      throw new InventoryException("cannot read " + path + ": " + e.getClass().getSimpleName());
    }
  }

  private static void emit(JsonNode inventory, Writer out) throws InventoryException, IOException {
    // Any other key is refused without naming it: the document may be a file that is no inventory at all.
    if (inventory == null || !inventory.isObject() || inventory.isEmpty()
        || !Set.of("nodes", "edges").containsAll(inventory.properties().stream().map(Map.Entry::getKey).toList())) {
      throw new InventoryException("the inventory must be an object with \"nodes\" and/or \"edges\" lists "
          + "and nothing else");
    }
    int nodes = emitAll(inventory.path("nodes"), "node", out);
    int edges = emitAll(inventory.path("edges"), "edge", out);
    ObjectNode log = JSON.createObjectNode();
    log.putObject("log").put("level", "info").put("message", "inventory: " + nodes + " nodes, " + edges + " edges");
    out.write(log + "\n");
  }

  private static int emitAll(JsonNode list, String kind, Writer out) throws InventoryException, IOException {
    if (list.isMissingNode() || list.isNull()) {
      return 0;
    }
    if (!list.isArray()) {
      throw new InventoryException("\"" + kind + "s\" must be a list");
    }
    int i = 0;
    for (JsonNode item : list) {
      if (!item.isObject()) {
        throw new InventoryException(kind + "s[" + i + "] must be an object");
      }
      ObjectNode line = JSON.createObjectNode();
      line.set(kind, item);
      out.write(line + "\n");
      i++;
    }
    return i;
  }

  private static final class InventoryException extends Exception {
    InventoryException(String message) {
      super(message, null, false, false);
    }
  }
}
