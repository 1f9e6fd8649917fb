package io.candlebus.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryAdapter;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.replicatedmap.ReplicatedMap;
import java.util.List;
import java.util.UUID;

/**
 * The cluster's members as candlebus sees them: their ids (Hazelcast's member UUIDs, which Vert.x uses as node
 * ids too) and which of them ingest. A member counts as an ingest node once it says it is ready (its upstream
 * is deployed, in the replicated map {@value #READY_MAP}): a node that joined Hazelcast but is still starting
 * is given nothing, so its symbols are not left without a carrier meanwhile. A change is reported on a
 * Hazelcast thread; the listener hops to its own.
 */
final class ClusterMembers {
  static final String READY_MAP = "candlebus.ingest-ready";
  private final HazelcastInstance hz;
  private final ReplicatedMap<String, Boolean> ready;
  private final UUID membership;
  private final UUID readiness;

  ClusterMembers(HazelcastInstance hz, Runnable onChange) {
    this.hz = hz;
    this.ready = hz.getReplicatedMap(READY_MAP);
    this.membership = hz.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent e) {
        onChange.run();
      }

      @Override
      public void memberRemoved(MembershipEvent e) {
        ready.remove(e.getMember().getUuid().toString()); // a dead node cannot take itself off
        onChange.run();
      }
    });
    this.readiness = ready.addEntryListener(new EntryAdapter<>() {
      @Override
      public void onEntryEvent(EntryEvent<String, Boolean> event) {
        onChange.run();
      }
    });
  }

  String self() {
    return hz.getCluster().getLocalMember().getUuid().toString();
  }

  /** This node carries symbols from now on (or, with false, no longer). */
  void ready(boolean isReady) {
    if (isReady) {
      ready.put(self(), true);
    } else {
      ready.remove(self());
    }
  }

  /** The members that run the upstream (role {@code all} or {@code ingest}) and are ready, sorted. */
  List<String> ingestNodes() {
    return hz.getCluster().getMembers().stream()
        .filter(m -> !"edge".equals(m.getAttribute(ClusterNode.ROLE_ATTRIBUTE)))
        .map(Member::getUuid).map(UUID::toString).filter(ready::containsKey).sorted().toList();
  }

  boolean isMember(String node) {
    return hz.getCluster().getMembers().stream().anyMatch(m -> m.getUuid().toString().equals(node));
  }

  void close() {
    if (hz.getLifecycleService().isRunning()) {
      ready(false);
      hz.getCluster().removeMembershipListener(membership);
      ready.removeEntryListener(readiness);
    }
  }
}
