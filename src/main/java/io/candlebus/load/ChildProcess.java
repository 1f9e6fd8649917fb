package io.candlebus.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A JVM of candlebus's own classpath started by a load command (the gateway, the baseline relay), pinned to CPUs
 * with {@code taskset} when asked, its output kept in a log file; stopped with SIGTERM, then killed.
 */
final class ChildProcess implements AutoCloseable {
  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
  private final String name;
  private final Process process;
  private final Path log;
  private final long startedNanos;

  private ChildProcess(String name, Process process, Path log, long startedNanos) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.startedNanos = startedNanos;
  }

  /**
   * Starts {@code java <main or -jar> args} with {@code env} added to this process's environment, minus every
   * {@code CANDLEBUS_*} variable of our own (the child gets exactly the configuration given).
   */
  static ChildProcess start(String name, String cpus, String mainClass, List<String> args, Map<String, String> env,
      Path dir) throws IOException {
    List<String> cmd = new ArrayList<>();
    if (cpus != null) {
      cmd.addAll(List.of("taskset", "-c", cpus));
    }
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String classpath = System.getProperty("java.class.path");
    if (mainClass.equals("io.candlebus.Main") && classpath.endsWith(".jar") && !classpath.contains(":")) {
      cmd.addAll(List.of("-jar", Path.of(classpath).toAbsolutePath().toString())); // as users run it
    } else {
      cmd.addAll(List.of("-cp", absolute(classpath), mainClass));
    }
    cmd.addAll(args);
    Path log = dir.resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("CANDLEBUS_"));
    pb.environment().putAll(env);
    long started = System.nanoTime();
    Process p = pb.start();
    RUNNING.add(p);
    p.onExit().thenRun(() -> RUNNING.remove(p));
    return new ChildProcess(name, p, log, started);
  }

  private static String absolute(String classpath) {
    return Stream.of(classpath.split(":")).map(p -> Path.of(p).toAbsolutePath().toString())
        .collect(Collectors.joining(":"));
  }

  Process process() {
    return process;
  }

  long startedNanos() {
    return startedNanos;
  }

  /** CPU time of the process and its descendants (the gateway's PostgreSQL), in ns. */
  long cpuNanos() {
    return Stream.concat(Stream.of(process.toHandle()), process.toHandle().descendants())
        .mapToLong(h -> h.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
  }

  /** Fails with the end of the child's log when it has exited. */
  void checkAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(name + " exited with " + process.exitValue() + ": " + tail());
    }
  }

  String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Waits for the end of a child that ends by itself (a command like {@code user add}); its exit code. */
  int await(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(name + " did not end within " + seconds + " s: " + tail());
    }
    return process.exitValue();
  }

  /** Sends SIGTERM to every child still running and waits a little for them (a shutdown hook). */
  static void destroyAll() {
    RUNNING.forEach(Process::destroy);
    for (Process p : RUNNING) {
      try {
        p.waitFor(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy(); // SIGTERM: the gateway stores what is pending and stops its PostgreSQL
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
