package io.millrace.runtime.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicPatternTest {

  @Test
  void theWholeNameMustMatch() {
    TopicPattern p = TopicPattern.compile("orders.*");
    assertThat(p.matches("orders-eu")).isTrue();
    assertThat(p.matches("old-orders")).isFalse();
  }

  @Test
  void commasMeanOrAndQuotesAndBlanksAreDropped() {
    TopicPattern p = TopicPattern.compile("'a, b'");
    assertThat(p.matches("a")).isTrue();
    assertThat(p.matches("b")).isTrue();
    assertThat(p.matches("a, b")).isFalse();
  }

  @Test
  void anInvalidExpressionSaysWhereItBreaks() {
    assertThatThrownBy(() -> TopicPattern.compile("orders["))
        .isInstanceOf(ToolException.class)
        .hasMessage("'orders[' is not a valid regular expression: Unclosed character class near index 6");
  }
}
