package io.candlebus.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import java.util.List;
import java.util.UUID;

/**
 * The cluster's members as candlebus sees them: their ids (Hazelcast's member UUIDs, which Vert.x uses as node
 * ids too) and which of them ingest. A change is reported on a Hazelcast thread; the listener hops to its own.
 */
final class ClusterMembers {
  private final HazelcastInstance hz;
  private final UUID registration;

  ClusterMembers(HazelcastInstance hz, Runnable onChange) {
    this.hz = hz;
    this.registration = hz.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent e) {
        onChange.run();
      }

      @Override
      public void memberRemoved(MembershipEvent e) {
        onChange.run();
      }
    });
  }

  String self() {
    return hz.getCluster().getLocalMember().getUuid().toString();
  }

  /** The members that run the upstream (role {@code all} or {@code ingest}), sorted. */
  List<String> ingestNodes() {
    return hz.getCluster().getMembers().stream()
        .filter(m -> !"edge".equals(m.getAttribute(ClusterNode.ROLE_ATTRIBUTE)))
        .map(Member::getUuid).map(UUID::toString).sorted().toList();
  }

  boolean isMember(String node) {
    return hz.getCluster().getMembers().stream().anyMatch(m -> m.getUuid().toString().equals(node));
  }

  void close() {
    if (hz.getLifecycleService().isRunning()) {
      hz.getCluster().removeMembershipListener(registration);
    }
  }
}
