package io.candlebus.simulator;

import static io.candlebus.simulator.SimClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.candlebus.depth.BookSync;
import io.candlebus.depth.BookTicker;
import io.candlebus.depth.DepthParser;
import io.candlebus.depth.OrderBook;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The simulator's books through its streams and REST, rebuilt by candlebus's own {@link BookSync}: the book
 * equals every bookTicker it reached and never crosses; a hole in the diffs of one symbol resyncs that symbol
 * only; a stale snapshot is refused and fetched again; partial books and request weights are Binance's.
 */
@ExtendWith(VertxExtension.class)
class DepthStreamsTest {
  private final Map<String, BookSync> syncs = new HashMap<>();
  private final TreeMap<Long, BookTicker> btcTickers = new TreeMap<>();
  private final List<BookSync.Step> btcSteps = new ArrayList<>();
  private final List<BookSync.Step> ethSteps = new ArrayList<>();
  /** BTCUSDT book states not yet compared: a snapshot can be newer than the frames read so far. */
  private final List<BookTicker> unchecked = new ArrayList<>();
  private SimClient client;
  private int compared;
  private int partials;

  @Test
  void booksRebuiltFromDiffsAndSnapshotsFollowTheSimulatorsBooks(Vertx vertx) throws Exception {
    BinanceSimulator sim = SimClient.deploy(vertx, SimulatorOptions.defaults().withSymbols("BTCUSDT", "ETHUSDT")
        .withRate(20).withSeed(3).withHistoryMinutes(1));
    client = new SimClient(vertx, sim.port());
    SimClient.Ws ws = client.connect("/stream?streams=btcusdt@depth@100ms/btcusdt@bookTicker/"
        + "ethusdt@depth@100ms/btcusdt@depth5@100ms");

    readUntil(ws, () -> compared >= 30 && partials >= 3);

    long holeAt = System.nanoTime();
    await(sim.skipDepthDiffs("BTCUSDT", 1));
    readUntil(ws, () -> has(btcSteps, BookSync.Reason.GAP));
    assertThat((System.nanoTime() - holeAt) / 1_000_000).as("the hole is seen within 2 s").isLessThan(2_000);
    readUntil(ws, () -> syncs.get("BTCUSDT").state() == BookSync.State.LIVE);

    long staleId = await(sim.staleDepthSnapshots("BTCUSDT", 1));
    await(sim.skipDepthDiffs("BTCUSDT", 1));
    btcSteps.clear();
    readUntil(ws, () -> has(btcSteps, BookSync.Reason.STALE_SNAPSHOT)
        && syncs.get("BTCUSDT").state() == BookSync.State.LIVE);
    assertThat(syncs.get("BTCUSDT").book().updateId()).isGreaterThan(staleId);
    int before = compared;
    readUntil(ws, () -> compared >= before + 10);
    ws.close();

    assertThat(ethSteps).as("ETHUSDT never resynced").noneMatch(s -> s.outcome() == BookSync.Outcome.RESYNC);
    // the used-weight header counts the minute so far: each answer's increase is its own weight
    int w0 = client.get("/api/v3/depth?symbol=BTCUSDT&limit=20").weight();
    int w1 = client.get("/api/v3/depth?symbol=BTCUSDT&limit=100").weight();
    int w2 = client.get("/api/v3/depth?symbol=BTCUSDT&limit=1000").weight();
    int w3 = client.get("/api/v3/depth?symbol=BTCUSDT&limit=5000").weight();
    assertThat(List.of(w1 - w0, w2 - w1, w3 - w2)).containsExactly(5, 50, 250);
    JsonObject five = new JsonObject(client.get("/api/v3/depth?symbol=BTCUSDT&limit=5").body());
    assertThat(five.getJsonArray("bids")).hasSize(5);
    assertThat(five.getJsonArray("asks")).hasSize(5);
    assertThat(client.get("/api/v3/depth?symbol=NOPE").status()).isEqualTo(400);
  }

  private static boolean has(List<BookSync.Step> steps, BookSync.Reason reason) {
    return steps.stream().anyMatch(s -> s.reason() == reason);
  }

  private void readUntil(SimClient.Ws ws, java.util.function.BooleanSupplier done) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as("in time").isLessThan(deadline);
      String frame = ws.next();
      String stream = new JsonObject(frame).getString("stream");
      if (stream.endsWith("@depth@100ms")) {
        var d = DepthParser.diff(frame);
        BookSync sync = syncs.computeIfAbsent(d.symbol(), BookSync::new);
        handle(sync, sync.onDiff(d));
        if (d.symbol().equals("BTCUSDT")) {
          // every bookTicker up to this diff's last id was sent before it
          compareUpTo(d.finalId());
        }
      } else if (stream.equals("btcusdt@bookTicker")) {
        BookTicker t = DepthParser.bookTicker(frame);
        btcTickers.put(t.updateId(), t);
      } else if (stream.equals("btcusdt@depth5@100ms")) {
        JsonObject data = new JsonObject(frame).getJsonObject("data");
        assertThat(data.getJsonArray("bids").size()).isLessThanOrEqualTo(5);
        assertThat(data.getLong("lastUpdateId")).isPositive();
        partials++;
      }
    }
  }

  private void handle(BookSync sync, BookSync.Step step) {
    (sync.symbol().equals("BTCUSDT") ? btcSteps : ethSteps).add(step);
    if (step.fetchSnapshot()) {
      SimClient.Response r = client.get("/api/v3/depth?symbol=" + sync.symbol() + "&limit=1000");
      assertThat(r.status()).isEqualTo(200);
      handle(sync, sync.onSnapshot(DepthParser.snapshot(r.body())));
      return;
    }
    OrderBook book = sync.book();
    if (book == null) {
      return;
    }
    assertThat(book.crossed()).as(sync.symbol() + " crossed at " + book.updateId()).isFalse();
    if (sync.symbol().equals("BTCUSDT")) {
      unchecked.add(new BookTicker("BTCUSDT", book.updateId(), book.bestBid().price(), book.bestBid().quantity(),
          book.bestAsk().price(), book.bestAsk().quantity()));
    }
  }

  private void compareUpTo(long readId) {
    for (var it = unchecked.iterator(); it.hasNext(); ) {
      BookTicker b = it.next();
      Map.Entry<Long, BookTicker> t = btcTickers.floorEntry(b.updateId());
      if (b.updateId() > readId || t == null) {
        continue;
      }
      it.remove();
      String at = "book id " + b.updateId() + " vs bookTicker u=" + t.getKey();
      assertThat(b.bid()).as(at).isEqualByComparingTo(t.getValue().bid());
      assertThat(b.bidQuantity()).as(at).isEqualByComparingTo(t.getValue().bidQuantity());
      assertThat(b.ask()).as(at).isEqualByComparingTo(t.getValue().ask());
      assertThat(b.askQuantity()).as(at).isEqualByComparingTo(t.getValue().askQuantity());
      compared++;
    }
  }
}
