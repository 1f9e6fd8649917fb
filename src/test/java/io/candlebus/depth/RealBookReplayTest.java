package io.candlebus.depth;

import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Binance's own recordings (cryptofeed captures in ../shared/data/binance-real: depth snapshots, @depth@100ms
 * diffs and bookTicker, by receive time): each symbol's book is rebuilt with {@link BookSync}, handed each
 * recorded snapshot when it was received. A bookTicker at update id {@code u} is the best bid and ask from
 * {@code u} until the next bookTicker; so after every diff, at book id X, the newest bookTicker with
 * {@code u <= X} must equal the book's best levels, price and quantity. The book must never cross.
 */
class RealBookReplayTest {
  private static final Pattern REST = Pattern.compile("^(\\S+) -> ([0-9.]+): (\\{.*)$");
  private static final Pattern FRAME = Pattern.compile("^([0-9.]+): (\\{.*)$");
  private static final Pattern SYMBOL = Pattern.compile("[?&]symbol=([A-Z0-9]+)");

  private record Line(double receivedAt, int order, String symbol, String json, boolean snapshot) {}

  private record State(long id, Level bid, Level ask) {}

  @ParameterizedTest
  @ValueSource(strings = {"cryptofeed_binance_2021-04-05", "cryptofeed_binance_2021-04-17",
      "cryptofeed_binance_2021-08-14", "cryptofeed_binance_2021-10-12"})
  void theRebuiltBookMatchesEveryBookTickerItReached(String capture) throws IOException {
    Map<String, BookSync> books = new HashMap<>();
    Map<String, DepthSnapshot> received = new HashMap<>();
    Set<String> waitingForSnapshot = new HashSet<>();
    Map<String, List<State>> states = new HashMap<>();
    Map<String, TreeMap<Long, BookTicker>> tickers = new HashMap<>();
    int diffs = 0;
    for (Line line : lines(SharedData.real(capture))) {
      if (line.snapshot()) {
        DepthSnapshot s = DepthParser.snapshot(line.json());
        received.put(line.symbol(), s);
        if (waitingForSnapshot.remove(line.symbol())) {
          record(books.get(line.symbol()), books.get(line.symbol()).onSnapshot(s), states, waitingForSnapshot,
              received);
        }
      } else if (line.json().contains("@depth@100ms\"")) {
        DepthDiff d = DepthParser.diff(line.json());
        diffs++;
        BookSync sync = books.computeIfAbsent(d.symbol(), BookSync::new);
        record(sync, sync.onDiff(d), states, waitingForSnapshot, received);
      } else if (line.json().contains("@bookTicker\"")) {
        BookTicker t = DepthParser.bookTicker(line.json());
        tickers.computeIfAbsent(t.symbol(), k -> new TreeMap<>()).put(t.updateId(), t);
      }
    }

    int compared = 0;
    Set<String> tickersUsed = new HashSet<>();
    for (Map.Entry<String, List<State>> e : states.entrySet()) {
      TreeMap<Long, BookTicker> byId = tickers.getOrDefault(e.getKey(), new TreeMap<>());
      for (State s : e.getValue()) {
        Map.Entry<Long, BookTicker> t = byId.floorEntry(s.id());
        if (t == null) {
          continue; // no bookTicker yet at this id
        }
        BookTicker bt = t.getValue();
        String at = e.getKey() + " at book id " + s.id() + " vs bookTicker u=" + bt.updateId();
        assertThat(s.bid().price()).as(at + ": bid").isEqualByComparingTo(bt.bid());
        assertThat(s.bid().quantity()).as(at + ": bid size").isEqualByComparingTo(bt.bidQuantity());
        assertThat(s.ask().price()).as(at + ": ask").isEqualByComparingTo(bt.ask());
        assertThat(s.ask().quantity()).as(at + ": ask size").isEqualByComparingTo(bt.askQuantity());
        compared++;
        tickersUsed.add(e.getKey() + ":" + bt.updateId());
      }
    }
    System.out.printf("%s: %d symbols, %d diffs, %d book states compared with %d distinct bookTickers, all "
        + "equal%n", capture, books.size(), diffs, compared, tickersUsed.size());
    assertThat(books.values()).as("every symbol's book went live").allMatch(b -> b.state() == BookSync.State.LIVE);
    assertThat(compared).as("book states compared").isGreaterThan(20);
  }

  /** Keeps the book's best levels after a step; hands over a snapshot the book asked for when one was seen. */
  private static void record(BookSync sync, BookSync.Step step, Map<String, List<State>> states,
      Set<String> waitingForSnapshot, Map<String, DepthSnapshot> received) {
    assertThat(step.outcome()).as(sync.symbol() + ": " + step).isNotEqualTo(BookSync.Outcome.RESYNC);
    if (step.fetchSnapshot()) {
      DepthSnapshot s = received.get(sync.symbol());
      if (s != null) {
        record(sync, sync.onSnapshot(s), states, waitingForSnapshot, received);
        return;
      }
      waitingForSnapshot.add(sync.symbol());
    }
    OrderBook book = sync.book();
    if (book != null && (step.outcome() == BookSync.Outcome.APPLIED || step.outcome() == BookSync.Outcome.LIVE)) {
      assertThat(book.crossed()).as(sync.symbol() + " crossed at " + book.updateId()).isFalse();
      states.computeIfAbsent(sync.symbol(), k -> new ArrayList<>())
          .add(new State(book.updateId(), book.bestBid(), book.bestAsk()));
    }
  }

  /** Every REST depth answer and WebSocket frame of the capture's files, in order of receipt. */
  private static List<Line> lines(Path dir) throws IOException {
    List<Line> out = new ArrayList<>();
    int order = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        for (String l : Files.readAllLines(f)) {
          Matcher rest = REST.matcher(l);
          Matcher frame = FRAME.matcher(l);
          if (rest.matches() && rest.group(1).contains("/depth?")) {
            Matcher s = SYMBOL.matcher(rest.group(1));
            assertThat(s.find()).as(l.substring(0, 80)).isTrue();
            out.add(new Line(Double.parseDouble(rest.group(2)), order++, s.group(1), rest.group(3), true));
          } else if (!rest.matches() && frame.matches()) {
            out.add(new Line(Double.parseDouble(frame.group(1)), order++, null, frame.group(2), false));
          }
        }
      }
    }
    out.sort(Comparator.comparingDouble(Line::receivedAt).thenComparingInt(Line::order));
    return out;
  }
}
