package io.millrace.runtime.tools;

import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.TreeSet;

/**
 * Loads the classes a user names on the command line (deserializers, formatters, line readers),
 * with Kafka's well-known class names mapped to Millrace's own implementations.
 */
public final class Plugins {

  private Plugins() {}

  /**
   * A new instance of the named class, which must implement {@code type}.
   *
   * @param what what the class is for, in messages ("--formatter", "key.deserializer")
   * @param aliases Kafka class names that mean one of ours
   * @throws ToolException when the class is missing, of the wrong type or cannot be created
   */
  public static <T> T instantiate(String className, Class<T> type, String what, Map<String, Class<? extends T>> aliases) {
    return instantiate(className, type, what, aliases, "known names: " + String.join(", ", new TreeSet<>(aliases.keySet())));
  }

  /** As {@link #instantiate(String, Class, String, Map)}, with a hint for the "not found" message. */
  public static <T> T instantiate(String className, Class<T> type, String what, Map<String, Class<? extends T>> aliases,
      String hint) {
    String name = className.trim();
    Class<?> cls = aliases.get(name);
    if (cls == null) {
      try {
        cls = Class.forName(name, true, Thread.currentThread().getContextClassLoader() != null
            ? Thread.currentThread().getContextClassLoader() : Plugins.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        throw new ToolException(what + " class '" + name + "' was not found on the classpath (" + hint + ")");
      }
    }
    if (!type.isAssignableFrom(cls)) {
      throw new ToolException(what + " class '" + name + "' is not a " + type.getName());
    }
    try {
      return type.cast(cls.getDeclaredConstructor().newInstance());
    } catch (InvocationTargetException e) {
      throw new ToolException("cannot create " + what + " '" + name + "': " + KafkaFailures.message(e.getCause()), e);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new ToolException("cannot create " + what + " '" + name + "': " + KafkaFailures.message(e), e);
    }
  }
}
