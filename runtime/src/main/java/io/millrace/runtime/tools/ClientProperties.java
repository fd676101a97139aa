package io.millrace.runtime.tools;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Client configs as the tools build them: bounded timeouts by default (so an unreachable broker
 * gives an error, not a hang), then the {@code --command-config} file, then key=value flags.
 */
public final class ClientProperties {

  /** Admin calls give up after this long unless the user sets {@code default.api.timeout.ms}. */
  public static final int DEFAULT_API_TIMEOUT_MS = 30_000;
  /** One request waits at most this long unless the user sets {@code request.timeout.ms}. */
  public static final int REQUEST_TIMEOUT_MS = 15_000;

  private ClientProperties() {}

  /** The properties in a file, as strings; a missing or unreadable file is a {@link ToolException}. */
  public static Map<String, String> load(Path file) {
    Map<String, String> props = new LinkedHashMap<>();
    if (file == null) {
      return props;
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    } catch (NoSuchFileException e) {
      throw new ToolException("config file " + file + " does not exist");
    } catch (IOException | IllegalArgumentException e) {
      throw new ToolException("cannot read config file " + file + ": " + KafkaFailures.message(e));
    }
    p.stringPropertyNames().forEach(k -> props.put(k, p.getProperty(k).trim()));
    return props;
  }

  /**
   * {@code key=value} arguments, in order. The value may contain '='; the key may not be empty.
   *
   * @throws IllegalArgumentException naming the option and the bad argument
   */
  public static Map<String, String> parse(List<String> pairs, String option) {
    Map<String, String> props = new LinkedHashMap<>();
    if (pairs == null) {
      return props;
    }
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("invalid " + option + " '" + pair + "': expected key=value");
      }
      props.put(pair.substring(0, eq).trim(), pair.substring(eq + 1));
    }
    return props;
  }

  /** Admin client properties: defaults, then the file, then the flags, then the bootstrap servers. */
  public static Properties admin(String bootstrapServers, String clientId, Map<String, String> overrides) {
    Properties p = new Properties();
    p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
    p.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(DEFAULT_API_TIMEOUT_MS));
    p.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(REQUEST_TIMEOUT_MS));
    p.putAll(overrides);
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return p;
  }

  /** The request timeout the given properties end up with (for the reachability probe). */
  public static int requestTimeoutMs(Properties p) {
    Object v = p.get(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG);
    try {
      return v == null ? REQUEST_TIMEOUT_MS : Integer.parseInt(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new ToolException("invalid request.timeout.ms '" + v + "': not a number");
    }
  }
}
