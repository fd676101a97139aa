package io.millrace.streams.internals.runtime;

import io.millrace.streams.errors.StreamsException;
import io.millrace.streams.internals.state.StateDirectories;
import io.millrace.streams.processor.TaskId;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An application instance's directory under {@code state.dir}: {@code <state.dir>/<application.id>/}
 * with one sub-directory per task ({@code 0_3/}) holding its stores and checkpoint.
 *
 * <p>Two owners of one task directory would corrupt it, so each task directory is locked: by
 * thread within this process, and with a file lock ({@code .lock}) against other processes
 * sharing the directory. The instance's process id is kept in {@code millrace-process.id} so
 * that a restarted instance is recognised by the assignor as the owner of its local state.
 *
 * <p>Thread-safe.
 */
public final class StateDirectory {
  private static final String PROCESS_FILE = "millrace-process.id";
  private final File appDir;
  private final Map<TaskId, Owner> owners = new ConcurrentHashMap<>();
  private FileChannel appLockChannel;
  private FileLock appLock;

  private record Owner(Thread thread, FileChannel channel, FileLock lock) {}

  public StateDirectory(File stateDir, String applicationId) {
    this.appDir = new File(stateDir, applicationId);
  }

  public File appDir() {
    return appDir;
  }

  public File taskDir(TaskId id) {
    return new File(appDir, id.toString());
  }

  /**
   * Creates the directory and takes the instance lock ({@code .lock} in it): two instances of
   * one application cannot share a state directory.
   */
  public synchronized void open() {
    try {
      Files.createDirectories(appDir.toPath());
      appLockChannel = FileChannel.open(new File(appDir, ".lock").toPath(),
          StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      appLock = appLockChannel.tryLock();
    } catch (IOException | OverlappingFileLockException e) {
      appLock = null;
    }
    if (appLock == null) {
      closeQuietly(appLockChannel);
      throw new StreamsException("The state directory " + appDir + " is in use by another instance of"
          + " this application; give each instance its own state.dir");
    }
  }

  /** This instance's process id, kept across restarts. */
  public synchronized UUID processId() {
    File f = new File(appDir, PROCESS_FILE);
    try {
      if (f.exists()) {
        return UUID.fromString(Files.readString(f.toPath(), StandardCharsets.UTF_8).trim());
      }
      UUID id = UUID.randomUUID();
      Files.writeString(f.toPath(), id.toString(), StandardCharsets.UTF_8);
      return id;
    } catch (IOException | IllegalArgumentException e) {
      UUID id = UUID.randomUUID();
      try {
        Files.writeString(f.toPath(), id.toString(), StandardCharsets.UTF_8);
      } catch (IOException ignored) {
        // a fresh id each start only costs stickiness of state
      }
      return id;
    }
  }

  /** Takes the task's directory for the calling thread; false if another owner has it. */
  public boolean lock(TaskId id) {
    Owner current = owners.get(id);
    if (current != null) {
      return current.thread() == Thread.currentThread();
    }
    File dir = taskDir(id);
    try {
      Files.createDirectories(dir.toPath());
      FileChannel ch = FileChannel.open(new File(dir, ".lock").toPath(),
          StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        ch.close();
        return false;
      }
      if (owners.putIfAbsent(id, new Owner(Thread.currentThread(), ch, lock)) != null) {
        lock.release();
        ch.close();
        return false;
      }
      return true;
    } catch (IOException e) {
      throw new StreamsException("Cannot lock task directory " + dir + ": " + e.getMessage(), e);
    }
  }

  public void unlock(TaskId id) {
    Owner o = owners.get(id);
    if (o != null && o.thread() == Thread.currentThread()) {
      owners.remove(id);
      try {
        o.lock().release();
      } catch (IOException ignored) {
        // closing the channel releases it too
      }
      closeQuietly(o.channel());
    }
  }

  /** Tasks that have a directory with a checkpoint here: local state worth keeping tasks on. */
  public List<TaskId> tasksWithState() {
    List<TaskId> ids = new ArrayList<>();
    File[] dirs = appDir.listFiles(File::isDirectory);
    if (dirs == null) {
      return ids;
    }
    for (File d : dirs) {
      try {
        TaskId id = TaskId.parse(d.getName());
        if (new File(d, ".checkpoint").exists()) {
          ids.add(id);
        }
      } catch (IllegalArgumentException notATask) {
        // other files live here too
      }
    }
    return ids;
  }

  /** Deletes all local state; only while no instance runs. */
  public synchronized void cleanUp() {
    if (!owners.isEmpty()) {
      throw new IllegalStateException("Cannot clean up " + appDir + " while tasks are open");
    }
    File[] children = appDir.listFiles();
    if (children == null) {
      return;
    }
    for (File c : children) {
      if (!c.getName().equals(".lock") && !c.getName().equals(PROCESS_FILE)) {
        StateDirectories.deleteRecursively(c);
      }
    }
  }

  public synchronized void close() {
    if (appLock != null) {
      try {
        appLock.release();
      } catch (IOException ignored) {
        // closing the channel releases it
      }
      appLock = null;
    }
    closeQuietly(appLockChannel);
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // nothing more to do
      }
    }
  }
}
