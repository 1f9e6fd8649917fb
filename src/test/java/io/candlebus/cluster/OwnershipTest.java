package io.candlebus.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OwnershipTest {
  private static List<String> symbols(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add("SYM" + i + "USDT");
    }
    return out;
  }

  private static List<String> nodes(int n, long seed) {
    Random r = new Random(seed);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new UUID(r.nextLong(), r.nextLong()).toString());
    }
    return out;
  }

  @Test
  void everySymbolHasExactlyOneOwnerAndLoadsDifferByAtMostOne() {
    for (int s : new int[] {1, 2, 5, 6, 7, 100, 1000}) {
      for (int n : new int[] {1, 2, 3, 7}) {
        Map<String, String> owners = Ownership.assign(symbols(s), nodes(n, s * 31L + n));
        assertThat(owners).hasSize(s);
        Map<String, Integer> load = new HashMap<>();
        owners.values().forEach(node -> load.merge(node, 1, Integer::sum));
        int max = Collections.max(load.values());
        int min = load.size() < n ? 0 : Collections.min(load.values());
        assertThat(max - min).as("%d symbols on %d nodes: %s", s, n, load).isLessThanOrEqualTo(1);
      }
    }
  }

  @Test
  void everyNodeComputesTheSameAnswerWhateverTheOrderItSeesMembersIn() {
    List<String> nodes = nodes(3, 7);
    List<String> shuffled = new ArrayList<>(nodes);
    Collections.shuffle(shuffled, new Random(1));
    List<String> syms = symbols(50);
    List<String> reversed = new ArrayList<>(syms);
    Collections.reverse(reversed);
    assertThat(Ownership.assign(reversed, shuffled)).isEqualTo(Ownership.assign(syms, nodes));
  }

  @Test
  void aLeavingNodesSymbolsMoveWhileMostOthersStay() {
    List<String> nodes = nodes(3, 11);
    List<String> syms = symbols(300);
    Map<String, String> before = Ownership.assign(syms, nodes);
    String gone = nodes.get(1);
    Map<String, String> after = Ownership.assign(syms, List.of(nodes.get(0), nodes.get(2)));
    long moved = syms.stream().filter(s -> !before.get(s).equals(after.get(s))).count();
    long orphaned = syms.stream().filter(s -> before.get(s).equals(gone)).count();
    assertThat(after.values()).doesNotContain(gone);
    // the orphans must move; the even split may move a few more, not a reshuffle of everything
    assertThat(moved).isGreaterThanOrEqualTo(orphaned).isLessThan(orphaned + syms.size() / 4);
    // and when it comes back, the assignment is what it was
    assertThat(Ownership.assign(syms, nodes)).isEqualTo(before);
  }

  @Test
  void noNodesNoOwners() {
    assertThat(Ownership.assign(symbols(3), List.of())).isEmpty();
  }
}
