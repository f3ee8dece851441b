package io.infracast.api.discovery.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * The static-inventory discovery plugin (a program of its own, started by {@code plugins/inventory}): reads the
 * request on stdin, takes the inventory from {@code config.inventory} (inline) or the JSON or YAML file at
 * {@code config.path}, and writes its {@code nodes} and {@code edges} as plugin output lines. The service checks
 * each line; this only checks the inventory's shape. Errors go to stderr with exit code 1, never quoting the file
 * (it may be any file the service can read).
 *
 * <p>A file is read as a stream, one node or edge at a time, so an inventory of any size fits the plugin's small
 * heap (a 100,000-node JSON file is about 60 MB; read whole, it did not fit in 128 MB).
 */
public final class InventoryPlugin {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** YAML is a superset of JSON, but its parser is slower and limits a document's size: JSON is read as JSON. */
  private static final YAMLFactory YAML = YAMLFactory.builder()
      .loaderOptions(yamlLimits()).build();
  private static final int MAX_YAML_BYTES = 256 * 1024 * 1024;
  private static final String SHAPE = "the inventory must be an object with \"nodes\" and/or \"edges\" lists "
      + "and nothing else";

  private InventoryPlugin() {}

  public static void main(String[] args) throws IOException {
    try {
      JsonNode request = JSON.readTree(System.in);
      Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
      JsonNode config = request == null ? JSON.createObjectNode() : request.path("config");
      try (JsonParser inventory = open(config)) {
        emit(inventory, out);
      }
      out.flush();
    } catch (InventoryException e) {
      System.err.println("inventory: " + e.getMessage());
      System.exit(1);
    }
  }

  private static LoaderOptions yamlLimits() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(MAX_YAML_BYTES);
    return options;
  }

  private static JsonParser open(JsonNode config) throws InventoryException, IOException {
    if (config.hasNonNull("inventory") == config.hasNonNull("path")) {
      throw new InventoryException("config needs either \"inventory\" (the inventory itself) or \"path\" (a JSON "
          + "or YAML file), not both or neither");
    }
    if (config.hasNonNull("inventory")) {
      return config.get("inventory").traverse(JSON);
    }
    if (!config.get("path").isTextual()) {
      throw new InventoryException("config.path must be a string");
    }
    Path path = Path.of(config.get("path").asText());
    try {
      InputStream in = new BufferedInputStream(Files.newInputStream(path));
      JsonFactory factory = startsLikeJson(in) ? JSON.getFactory() : YAML;
      JsonParser parser = factory.createParser(in);
      parser.setCodec(JSON);
      return parser;
    } catch (NoSuchFileException e) {
      throw new InventoryException("no inventory file at " + path);
    } catch (IOException e) {
      throw new InventoryException("cannot read " + path + ": " + e.getClass().getSimpleName());
    }
  }

  /** Whether the first character that is not white space opens a JSON object; the stream is left as it was. */
  private static boolean startsLikeJson(InputStream in) throws IOException {
    in.mark(4096);
    try {
      for (int i = 0, c = in.read(); c >= 0 && i < 4096; i++, c = in.read()) {
        if (!Character.isWhitespace(c)) {
          return c == '{';
        }
      }
      return false;
    } finally {
      in.reset();
    }
  }

  private static void emit(JsonParser in, Writer out) throws InventoryException, IOException {
    int nodes = 0;
    int edges = 0;
    try {
      // Any other key is refused without naming it: the document may be a file that is no inventory at all.
      if (in.nextToken() != JsonToken.START_OBJECT) {
        throw new InventoryException(SHAPE);
      }
      boolean empty = true;
      while (in.nextToken() == JsonToken.FIELD_NAME) {
        empty = false;
        String key = in.currentName();
        if (!key.equals("nodes") && !key.equals("edges")) {
          throw new InventoryException(SHAPE);
        }
        String kind = key.substring(0, 4);
        int written = emitAll(in, kind, out);
        if (kind.equals("node")) {
          nodes += written;
        } else {
          edges += written;
        }
      }
      if (empty) {
        throw new InventoryException(SHAPE);
      }
    } catch (JsonProcessingException e) {
      throw new InventoryException("the inventory is not a JSON or YAML document (line "
          + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
    }
    ObjectNode log = JSON.createObjectNode();
    log.putObject("log").put("level", "info").put("message", "inventory: " + nodes + " nodes, " + edges + " edges");
    out.write(log + "\n");
  }

  /** Writes the list the parser is at, item by item; returns how many. */
  private static int emitAll(JsonParser in, String kind, Writer out) throws InventoryException, IOException {
    JsonToken start = in.nextToken();
    if (start == JsonToken.VALUE_NULL) {
      return 0;
    }
    if (start != JsonToken.START_ARRAY) {
      throw new InventoryException("\"" + kind + "s\" must be a list");
    }
    int i = 0;
    while (in.nextToken() != JsonToken.END_ARRAY) {
      if (in.currentToken() != JsonToken.START_OBJECT) {
        throw new InventoryException(kind + "s[" + i + "] must be an object");
      }
      ObjectNode line = JSON.createObjectNode();
      line.set(kind, in.readValueAsTree());
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
