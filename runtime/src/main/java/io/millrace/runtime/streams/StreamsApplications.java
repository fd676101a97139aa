package io.millrace.runtime.streams;

import io.millrace.runtime.tools.ToolException;
import io.millrace.streams.StreamsApplication;
import io.millrace.streams.Topology;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Finds the application to run: a sample by its short name, or a class by its name (on the
 * launcher's class path or the extra {@code --class-path}). A class may be a {@link
 * StreamsApplication}, or have a public static {@code topology()} or {@code buildTopology()}
 * method returning a {@link Topology} (with no parameter or a {@code Properties}).
 */
final class StreamsApplications {
  /** The samples, by the name {@code streams run} takes. */
  static final Map<String, String> SAMPLES = new LinkedHashMap<>();

  static {
    SAMPLES.put("WordCount", "io.millrace.samples.WordCount");
    SAMPLES.put("ClicksPerUserPerMinute", "io.millrace.samples.ClicksPerUserPerMinute");
    SAMPLES.put("OrderEnrichment", "io.millrace.samples.OrderEnrichment");
  }

  private StreamsApplications() {}

  /** A class loader over the launcher's class path plus {@code classPath} (jars or directories). */
  static ClassLoader loader(String classPath) {
    ClassLoader parent = StreamsApplications.class.getClassLoader();
    if (classPath == null || classPath.isBlank()) {
      return parent;
    }
    List<URL> urls = new ArrayList<>();
    for (String entry : classPath.split(File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      File f = new File(entry);
      if (!f.exists()) {
        throw new ToolException("--class-path entry " + entry + " does not exist");
      }
      try {
        urls.add(f.toURI().toURL());
      } catch (MalformedURLException e) {
        throw new ToolException("--class-path entry " + entry + " is not a usable path");
      }
    }
    return new URLClassLoader(urls.toArray(URL[]::new), parent);
  }

  static StreamsApplication load(String name, ClassLoader loader) {
    String className = SAMPLES.getOrDefault(name, name);
    Class<?> c;
    try {
      c = Class.forName(className, true, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new ToolException("no sample or class named '" + name + "' (samples: "
          + String.join(", ", SAMPLES.keySet()) + "; other classes by their full name, with --class-path"
          + " for your jars)");
    }
    if (StreamsApplication.class.isAssignableFrom(c)) {
      try {
        return (StreamsApplication) c.getDeclaredConstructor().newInstance();
      } catch (InvocationTargetException e) {
        throw new ToolException("cannot create " + className + ": " + e.getCause(), e.getCause());
      } catch (ReflectiveOperationException e) {
        throw new ToolException("cannot create " + className + ": it needs a public no-argument constructor");
      }
    }
    Method m = topologyMethod(c);
    if (m == null) {
      throw new ToolException(className + " is not a StreamsApplication and has no public static topology()"
          + " or buildTopology() method returning a Topology");
    }
    return config -> invoke(m, config, className);
  }

  private static Method topologyMethod(Class<?> c) {
    for (String name : List.of("topology", "buildTopology")) {
      for (Method m : c.getMethods()) {
        if (m.getName().equals(name) && Modifier.isStatic(m.getModifiers())
            && Topology.class.isAssignableFrom(m.getReturnType())
            && (m.getParameterCount() == 0
                || (m.getParameterCount() == 1 && m.getParameterTypes()[0] == Properties.class))) {
          return m;
        }
      }
    }
    return null;
  }

  private static Topology invoke(Method m, Properties config, String className) {
    try {
      return (Topology) (m.getParameterCount() == 0 ? m.invoke(null) : m.invoke(null, config));
    } catch (InvocationTargetException e) {
      throw new ToolException(className + "." + m.getName() + "() failed: " + e.getCause(), e.getCause());
    } catch (IllegalAccessException e) {
      throw new ToolException("cannot call " + className + "." + m.getName() + "()");
    }
  }
}
