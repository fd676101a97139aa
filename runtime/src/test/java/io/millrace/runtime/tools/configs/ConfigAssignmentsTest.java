package io.millrace.runtime.tools.configs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigAssignmentsTest {

  @Test
  void bracketsGroupValuesThatContainCommas() {
    assertThat(ConfigAssignments.parse("a=1, b=[x,y,z],c=k=v")).containsExactly(
        Map.entry("a", "1"), Map.entry("b", "x,y,z"), Map.entry("c", "k=v"));
  }

  @Test
  void malformedAssignmentsAreNamed() {
    assertThatThrownBy(() -> ConfigAssignments.parse("a=1,b")).hasMessage("invalid --add-config entry 'b': expected key=value");
    assertThatThrownBy(() -> ConfigAssignments.parse("a=[1,2")).hasMessageContaining("unbalanced square brackets");
  }

  @Test
  void deletionsAreCommaSeparatedNames() {
    assertThat(ConfigAssignments.names(" a, b ,,c")).containsExactly("a", "b", "c");
  }
}
