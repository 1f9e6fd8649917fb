package io.candlebus.persistence;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears the way for an embedded PostgreSQL on a data directory whose previous owner died without stopping its
 * server (kill -9 of the JVM leaves the postmaster running and holding the directory).
 *
 * <p>zonky's EmbeddedPostgres holds an OS file lock on {@code epg-lock} while it runs. If we can take that lock,
 * no live process owns the directory, so a postmaster listed in {@code postmaster.pid} is an orphan and is shut
 * down (fast shutdown, then harder if it does not go). Blocking: call from a worker thread.
 */
final class StalePostmaster {
  private static final Logger LOG = LoggerFactory.getLogger(StalePostmaster.class);
  static final String LOCK_FILE = "epg-lock";
  private static final Duration FAST_SHUTDOWN = Duration.ofSeconds(20);
  private static final Duration KILL_WAIT = Duration.ofSeconds(10);

  private StalePostmaster() {}

  /** Fails with an {@link IllegalStateException} when a live process owns {@code dir}. */
  static void clear(Path dir) throws IOException {
    if (!Files.exists(dir.resolve("postgresql.conf"))) {
      return; // not initialised yet: no server can be running on it, and initdb wants it empty
    }
    try (FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE)) {
      FileLock lock = tryLock(channel);
      if (lock == null) {
        throw new IllegalStateException("the PostgreSQL data directory " + dir
            + " is in use by another running candlebus; stop it or use another data directory");
      }
      try {
        removeOrphan(dir);
      } finally {
        lock.release();
      }
    }
  }

  /**
   * The port of the server a live candlebus runs on {@code dir}, if one does: its lock is held and
   * {@code postmaster.pid} (line 4) names the port.
   */
  static Optional<Integer> runningPort(Path dir) throws IOException {
    Path pidFile = dir.resolve("postmaster.pid");
    if (!Files.exists(dir.resolve("postgresql.conf")) || !Files.exists(pidFile)) {
      return Optional.empty();
    }
    try (FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE)) {
      FileLock lock = tryLock(channel);
      if (lock != null) {
        lock.release();
        return Optional.empty();
      }
    }
    List<String> lines = Files.readAllLines(pidFile);
    try {
      return lines.size() > 3 ? Optional.of(Integer.parseInt(lines.get(3).trim())) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException heldInThisJvm) {
      return null;
    }
  }

  private static void removeOrphan(Path dir) throws IOException {
    Path pidFile = dir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    List<String> lines = Files.readAllLines(pidFile);
    Optional<ProcessHandle> process = lines.isEmpty() ? Optional.empty() : pid(lines.get(0));
    boolean ours = lines.size() > 1 && sameDirectory(Path.of(lines.get(1).trim()), dir);
    if (process.isPresent() && running(process.get()) && ours && isPostgres(process.get())) {
      stop(process.get());
    } else {
      // dead, reused by another program, or copied from another directory: only the file is stale
      LOG.warn("removing stale {} (pid {})", pidFile, lines.isEmpty() ? "?" : lines.get(0).trim());
    }
    Files.deleteIfExists(pidFile);
  }

  private static Optional<ProcessHandle> pid(String line) {
    try {
      return ProcessHandle.of(Long.parseLong(line.trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static boolean sameDirectory(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean isPostgres(ProcessHandle p) {
    ProcessHandle.Info info = p.info();
    String command = info.command().orElseGet(() -> info.commandLine().orElse(""));
    // unreadable (another user's process): assume the pid file is right and let the stop attempt decide
    return command.isEmpty() || Path.of(command.split(" ")[0]).getFileName().toString().startsWith("postgres");
  }

  private static void stop(ProcessHandle postmaster) throws IOException {
    long pid = postmaster.pid();
    LOG.warn("stopping PostgreSQL (pid {}) left running by a previous candlebus process", pid);
    List<ProcessHandle> children = postmaster.descendants().toList();
    if (!signal(pid, "INT")) { // SIGINT is PostgreSQL's fast shutdown
      postmaster.destroy(); // SIGTERM, smart shutdown: fine, its clients died with the old JVM
    }
    if (!awaitExit(postmaster, FAST_SHUTDOWN)) {
      LOG.warn("PostgreSQL (pid {}) ignored the shutdown request; killing it", pid);
      postmaster.destroyForcibly();
      if (!awaitExit(postmaster, KILL_WAIT)) {
        throw new IllegalStateException("could not stop the orphaned PostgreSQL, pid " + pid);
      }
    }
    // backends still attached to the old shared memory would make the new postmaster refuse to start
    for (ProcessHandle child : children) {
      if (!awaitExit(child, KILL_WAIT)) {
        child.destroyForcibly();
        awaitExit(child, KILL_WAIT);
      }
    }
  }

  private static boolean signal(long pid, String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Polls: a process that is not our child has no exit event, and may linger as a zombie if nobody reaps it. */
  private static boolean awaitExit(ProcessHandle p, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (running(p)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return !running(p);
      }
    }
    return true;
  }

  /** Alive and not a zombie (Linux reports a zombie's state as Z in /proc/PID/stat). */
  static boolean running(ProcessHandle p) {
    if (!p.isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
      int end = stat.lastIndexOf(')');
      return end < 0 || end + 2 >= stat.length() || stat.charAt(end + 2) != 'Z';
    } catch (IOException | RuntimeException e) {
      return p.isAlive(); // no /proc (not Linux) or the process just went away
    }
  }
}
