package io.millrace.runtime.tools;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A table printed with aligned columns: each column as wide as its widest cell, two spaces
 * between columns, no trailing blanks. Null cells print as {@code -}, as Kafka's tools do.
 *
 * <pre>
 * GROUP  TOPIC   PARTITION  CURRENT-OFFSET
 * app    orders  0          42
 * </pre>
 *
 * Not thread-safe.
 */
public final class TextTable {

  private static final String GAP = "  ";

  private final List<String> headers;
  private final List<String[]> rows = new ArrayList<>();

  public TextTable(String... headers) {
    this.headers = List.of(headers);
  }

  /** Adds a row; it must have one cell per column. */
  public TextTable row(Object... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException("row has " + cells.length + " cells, the table " + headers.size()
          + " columns: " + Arrays.toString(cells));
    }
    String[] row = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      row[i] = cells[i] == null ? "-" : cells[i].toString();
    }
    rows.add(row);
    return this;
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  public int size() {
    return rows.size();
  }

  /** Prints the header and the rows. */
  public void print(PrintStream out) {
    int[] widths = new int[headers.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = headers.get(i).length();
    }
    for (String[] row : rows) {
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    out.println(line(headers.toArray(String[]::new), widths));
    for (String[] row : rows) {
      out.println(line(row, widths));
    }
  }

  private static String line(String[] cells, int[] widths) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        sb.append(GAP);
      }
      sb.append(cells[i]);
      if (i < cells.length - 1) {
        sb.append(" ".repeat(widths[i] - cells[i].length()));
      }
    }
    return sb.toString().stripTrailing();
  }
}
