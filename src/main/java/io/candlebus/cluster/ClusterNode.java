package io.candlebus.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.XmlConfigBuilder;
import com.hazelcast.core.HazelcastInstance;
import io.candlebus.config.CandlebusConfig;
import io.candlebus.config.ConfigException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Joining the Hazelcast cluster: {@code conf/cluster.xml} (or the copy in the jar) with this node's port, address,
 * members and role from candlebus's configuration.
 */
public final class ClusterNode {
  /** The Hazelcast member attribute carrying the node's role ({@code all}, {@code ingest}, {@code edge}). */
  public static final String ROLE_ATTRIBUTE = "candlebus.role";
  static final Path USER_FILE = Path.of("conf", "cluster.xml");
  static final String BUILT_IN = "candlebus/cluster.xml";

  private ClusterNode() {}

  /** The Hazelcast configuration of this node. */
  public static Config hazelcastConfig(CandlebusConfig c) {
    Config hz = load();
    // the address Hazelcast binds and announces; 0.0.0.0 would announce whatever interface it picks first
    hz.setProperty("hazelcast.local.localAddress", c.clusterHost());
    NetworkConfig net = hz.getNetworkConfig();
    net.setPort(c.clusterPort()).setPortAutoIncrement(true);
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(c.clusterMembers());
    hz.getMemberAttributeConfig().setAttribute(ROLE_ATTRIBUTE, c.role().name().toLowerCase(Locale.ROOT));
    return hz;
  }

  /** Builds a clustered Vert.x whose event bus listens on the cluster host. */
  public static Future<Vertx> join(VertxBuilder builder, CandlebusConfig c) {
    return builder.withClusterManager(new HazelcastClusterManager(hazelcastConfig(c))).buildClustered();
  }

  /** The Hazelcast member behind a clustered Vert.x, if it has one. */
  public static Optional<HazelcastInstance> hazelcast(Vertx vertx) {
    // Vert.x offers no public accessor for its cluster manager; the internal one is stable across 5.x
    ClusterManager m = vertx instanceof VertxInternal v ? v.clusterManager() : null;
    return m instanceof HazelcastClusterManager h ? Optional.ofNullable(h.getHazelcastInstance())
        : Optional.empty();
  }

  private static Config load() {
    try {
      if (Files.isRegularFile(USER_FILE)) {
        try (InputStream in = Files.newInputStream(USER_FILE)) {
          return new XmlConfigBuilder(in).build();
        }
      }
      try (InputStream in = ClusterNode.class.getClassLoader().getResourceAsStream(BUILT_IN)) {
        if (in == null) {
          throw new ConfigException("bad configuration: " + BUILT_IN + " is missing from the jar");
        }
        return new XmlConfigBuilder(in).build();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof ConfigException ce) {
        throw ce;
      }
      throw new ConfigException("bad configuration: " + USER_FILE + ": " + e.getMessage());
    }
  }
}
