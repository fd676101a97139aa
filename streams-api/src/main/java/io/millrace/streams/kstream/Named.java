package io.millrace.streams.kstream;

/**
 * A name for a DSL operator's processor. Named operators keep their names (and the names of
 * what derives from them) when the topology is edited elsewhere, so their stores and topics
 * stay the same across versions of an application.
 *
 * <p>Immutable; thread-safe.
 */
public class Named {
  protected final String name;

  protected Named(String name) {
    this.name = name;
  }

  /**
   * @throws IllegalArgumentException if the name is empty, longer than 200 characters, or has
   *     characters other than a-z A-Z 0-9 . _ -
   */
  public static Named as(String name) {
    validate(name);
    return new Named(name);
  }

  public String name() {
    return name;
  }

  static void validate(String name) {
    if (name == null) {
      return;
    }
    if (name.isEmpty() || name.length() > 200 || !name.matches("[a-zA-Z0-9._-]+")) {
      throw new IllegalArgumentException(
          "Name '" + name + "' is not legal: use 1 to 200 of the characters a-z A-Z 0-9 . _ -");
    }
  }
}
