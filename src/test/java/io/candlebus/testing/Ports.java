package io.candlebus.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Ports for servers a test starts on 127.0.0.1. */
public final class Ports {
  private Ports() {}

  /** A port free on the loopback address now (the OS picks it; another process could still take it). */
  public static int free() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code CANDLEBUS_CLUSTER_MEMBERS} for {@code n} nodes on loopback from {@code port} on (Hazelcast counts up). */
  public static String clusterMembers(int port, int n) {
    List<String> members = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      members.add("127.0.0.1:" + (port + i));
    }
    return String.join(",", members);
  }
}
