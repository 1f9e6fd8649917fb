package io.candlebus.tail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code candlebus tail ...} in its own JVM (the test's classpath, {@code io.candlebus.Main}), as a user runs it:
 * its stdout and stderr kept line by line, its environment exactly what the test gives (no CANDLEBUS_* of ours).
 */
final class TailProcess implements AutoCloseable {
  private final Process process;
  private final List<String> out = new ArrayList<>();
  private final List<String> err = new ArrayList<>();
  private final List<Thread> readers;

  private TailProcess(Process process) {
    this.process = process;
    this.readers = List.of(read(process.getInputStream(), out), read(process.getErrorStream(), err));
  }

  static TailProcess start(Map<String, String> env, String... args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        "io.candlebus.Main", "tail"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("CANDLEBUS_") || k.equals("NO_COLOR"));
    pb.environment().putAll(env);
    try {
      return new TailProcess(pb.start());
    } catch (IOException e) {
      throw new IllegalStateException("could not start tail: " + e.getMessage(), e);
    }
  }

  private static Thread read(InputStream in, List<String> into) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          synchronized (into) {
            into.add(line);
          }
        }
      } catch (IOException e) {
        // the process ended
      }
    }, "tail-reader");
    t.setDaemon(true);
    t.start();
    return t;
  }

  List<String> out() {
    synchronized (out) {
      return new ArrayList<>(out);
    }
  }

  List<String> err() {
    synchronized (err) {
      return new ArrayList<>(err);
    }
  }

  /** Types {@code line} on its standard input and closes it. */
  void stdin(String line) throws IOException {
    try (OutputStream o = process.getOutputStream()) {
      o.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  Process process() {
    return process;
  }

  /** Polls (every 20 ms, with a deadline) until the stdout lines satisfy {@code check}. */
  List<String> awaitOut(Duration timeout, String what, Predicate<List<String>> check) {
    return await(timeout, what, this::out, check);
  }

  List<String> awaitErr(Duration timeout, String what, Predicate<List<String>> check) {
    return await(timeout, what, this::err, check);
  }

  private List<String> await(Duration timeout, String what, java.util.function.Supplier<List<String>> lines,
      Predicate<List<String>> check) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<String> now = lines.get();
      if (check.test(now)) {
        return now;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting until " + what + "; stdout " + last(out())
            + ", stderr " + err() + (process.isAlive() ? "" : ", exited " + process.exitValue()));
      }
      try {
        process.waitFor(20, TimeUnit.MILLISECONDS); // returns at once if it exited: the check says more then
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static List<String> last(List<String> l) {
    return l.subList(Math.max(0, l.size() - 5), l.size());
  }

  /** Its exit code, once it ended by itself within {@code timeout}; then stdout/stderr are read to the end. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("tail still running after " + timeout + "; stderr " + err());
    }
    drained();
    return process.exitValue();
  }

  /** SIGTERM, as Ctrl-C or a service manager stops it; its exit code. */
  int terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    return awaitExit(timeout);
  }

  /** The readers end at the pipes' EOF, which follows the exit closely. */
  private void drained() throws InterruptedException {
    for (Thread t : readers) {
      t.join(5_000);
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
