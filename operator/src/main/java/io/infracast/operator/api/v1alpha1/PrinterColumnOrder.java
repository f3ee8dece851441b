package io.infracast.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Build time only, run by operator/pom.xml right after the CRD generator: kubectl shows printer columns in the
 * CRD's order, but fabric8's generator sorts them by jsonPath (it has no order attribute), which would put Age
 * first and the wanted version away from the serving one. This rewrites the generated file's column list in the
 * order {@link InfracastInstallation} declares its {@link AdditionalPrinterColumn}s, leaving every other line as
 * the generator wrote it.
 */
public final class PrinterColumnOrder {

  private static final String LIST = "  - additionalPrinterColumns:";
  private static final String ITEM = "    - ";
  private static final String ITEM_BODY = "      ";

  private PrinterColumnOrder() {
  }

  /** Reorders the columns of each CRD file given. */
  public static void main(String[] crdFiles) throws IOException {
    List<String> order = Arrays.stream(InfracastInstallation.class.getAnnotationsByType(AdditionalPrinterColumn.class))
        .map(AdditionalPrinterColumn::name)
        .toList();
    for (String file : crdFiles) {
      Path crd = Path.of(file);
      Files.writeString(crd, reorder(Files.readString(crd), order));
    }
  }

  static String reorder(String crd, List<String> order) {
    List<String> lines = new ArrayList<>(Arrays.asList(crd.split("\n", -1)));
    int start = lines.indexOf(LIST) + 1;
    if (start == 0) {
      throw new IllegalStateException("no line '" + LIST + "' in the generated CRD");
    }
    Map<String, List<String>> columns = new LinkedHashMap<>();
    List<String> current = null;
    int end = start;
    for (; end < lines.size() && (lines.get(end).startsWith(ITEM) || lines.get(end).startsWith(ITEM_BODY)); end++) {
      if (lines.get(end).startsWith(ITEM)) {
        current = new ArrayList<>();
      }
      current.add(lines.get(end));
      String name = nameIn(lines.get(end));
      if (name != null) {
        columns.put(name, current);
      }
    }
    if (!columns.keySet().containsAll(order) || columns.size() != order.size()) {
      throw new IllegalStateException("the generated CRD has printer columns " + columns.keySet()
          + ", InfracastInstallation declares " + order);
    }
    List<String> sorted = order.stream().flatMap(name -> columns.get(name).stream()).toList();
    lines.subList(start, end).clear();
    lines.addAll(start, sorted);
    return String.join("\n", lines);
  }

  private static String nameIn(String line) {
    String key = line.startsWith(ITEM) ? line.substring(ITEM.length()) : line.substring(ITEM_BODY.length());
    return key.startsWith("name: \"") ? key.substring("name: \"".length(), key.length() - 1) : null;
  }
}
