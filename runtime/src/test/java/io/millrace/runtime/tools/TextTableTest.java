package io.millrace.runtime.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextTableTest {

  static String print(TextTable t) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    t.print(new PrintStream(out, true, StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void columnsAreAsWideAsTheirWidestCellWithoutTrailingBlanks() {
    TextTable t = new TextTable("GROUP", "TOPIC", "LAG").row("a-long-group", "t", 5).row("g", "orders", null);
    assertThat(print(t)).isEqualTo(
        "GROUP         TOPIC   LAG\n"
      + "a-long-group  t       5\n"
      + "g             orders  -\n");
  }

  @Test
  void aRowMustHaveOneCellPerColumn() {
    assertThatThrownBy(() -> new TextTable("A", "B").row("only one")).isInstanceOf(IllegalArgumentException.class);
  }
}
