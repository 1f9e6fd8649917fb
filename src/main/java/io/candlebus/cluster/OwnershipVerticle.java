package io.candlebus.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.candlebus.Addresses;
import io.candlebus.config.CandlebusConfig;
import io.candlebus.upstream.ConnectionBudget;
import io.candlebus.upstream.RestWeightLimiter;
import io.candlebus.upstream.TickerVerticle;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On an ingest node of a cluster: carries exactly the symbols {@link Ownership} gives this node, and hands them
 * on without a hole. A node giving a symbol up writes the last trade id it published to the cluster map
 * {@value #HANDOVER_MAP}; the node taking it continues after that id (the upstream fetches the trades between
 * over REST). A node that died wrote nothing: its successor continues after the owner's last checkpoint
 * ({@value #CHECKPOINT_MAP}, every {@value #CHECKPOINT_MS} ms), so at most that much is delivered twice and
 * nothing is missed. Also splits the IP's REST and connection budgets among the ingest nodes and passes on a
 * Retry-After block to all of them.
 */
public final class OwnershipVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(OwnershipVerticle.class);
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);
  static final String HANDOVER_MAP = "candlebus.handover";
  static final String CHECKPOINT_MAP = "candlebus.checkpoints";
  static final long RECONCILE_MS = 2_000;
  static final long CHECKPOINT_MS = 1_000;
  /** How long a node taking a symbol from a live owner waits for its hand-over before using the checkpoint. */
  static final long HANDOVER_WAIT_MS = 5_000;
  static final long HANDOVER_MAX_AGE_MS = 60_000;
  /** Older checkpoints are not resumed from (the REST fill would be long); the backfill restores the candles. */
  static final long CHECKPOINT_MAX_AGE_MS = 10 * 60_000;

  private final CandlebusConfig config;
  private final MeterRegistry registry;
  private final RestWeightLimiter limiter;
  private final ConnectionBudget budget;
  private final Set<String> owned = new TreeSet<>();
  private Map<String, String> lastAssignment = Map.of();
  private ClusterMembers members;
  private IMap<String, long[]> handover;
  private IMap<String, long[]> checkpoints;
  private boolean reconciling;
  private boolean again;
  private boolean stopping;
  private boolean keepsBoard;

  public OwnershipVerticle(CandlebusConfig config, MeterRegistry registry, RestWeightLimiter limiter,
      ConnectionBudget budget) {
    this.config = config;
    this.registry = registry;
    this.limiter = limiter;
    this.budget = budget;
  }

  @Override
  public Future<?> start() {
    HazelcastInstance hz = ClusterNode.hazelcast(vertx).orElse(null);
    if (hz == null) {
      return Future.failedFuture("symbol ownership needs a Vert.x clustered with Hazelcast");
    }
    handover = hz.getMap(HANDOVER_MAP);
    checkpoints = hz.getMap(CHECKPOINT_MAP);
    Context ctx = context;
    members = new ClusterMembers(hz, () -> ctx.runOnContext(v -> reconcile()));
    members.ready(true); // the upstream is deployed before this verticle: symbols may be given to this node
    for (String symbol : config.symbols()) {
      registry.gauge("candlebus_symbol_owned", Tags.of("symbol", symbol), owned, o -> o.contains(symbol) ? 1 : 0);
    }
    registry.gauge("candlebus_cluster_owned_symbols", owned, Set::size);
    limiter.onBlocked(until -> vertx.eventBus().publish(Addresses.CLUSTER_REST_BLOCKED, until));
    vertx.eventBus().<Long>consumer(Addresses.CLUSTER_REST_BLOCKED, m -> limiter.blockedElsewhere(m.body()));
    vertx.setPeriodic(RECONCILE_MS, id -> reconcile());
    vertx.setPeriodic(CHECKPOINT_MS, id -> checkpoint());
    reconcile();
    return Future.succeededFuture();
  }

  /** A node leaving on purpose hands its symbols on, so its successors continue without a REST-sized hole. */
  @Override
  public Future<?> stop() {
    stopping = true;
    members.close();
    return release(List.copyOf(owned)).otherwiseEmpty();
  }

  private void reconcile() {
    if (stopping) {
      return;
    }
    if (reconciling) {
      again = true;
      return;
    }
    List<String> nodes = members.ingestNodes();
    String self = members.self();
    limiter.shareAmong(nodes.size());
    budget.shareAmong(nodes.size());
    Map<String, String> assignment = Ownership.assign(config.symbols(), nodes);
    keepBoard(self.equals(Ownership.assign(List.of(TickerVerticle.BOARD), nodes).get(TickerVerticle.BOARD)));
    List<String> mine = assignment.entrySet().stream().filter(e -> e.getValue().equals(self))
        .map(Map.Entry::getKey).toList();
    List<String> release = owned.stream().filter(s -> !mine.contains(s)).toList();
    List<String> take = mine.stream().filter(s -> !owned.contains(s)).toList();
    // who carried a symbol before: as last seen, or, on joining, as the cluster had it without this node
    Map<String, String> before = !lastAssignment.isEmpty() ? lastAssignment
        : Ownership.assign(config.symbols(), nodes.stream().filter(n -> !n.equals(self)).toList());
    if (release.isEmpty() && take.isEmpty()) {
      lastAssignment = assignment;
      return;
    }
    reconciling = true;
    release(release).compose(v -> take(take, before, self)).onComplete(ar -> {
      reconciling = false;
      lastAssignment = assignment;
      if (ar.failed()) {
        log.warn("ownership: {} (tried again in {} ms)", ar.cause().getMessage(), RECONCILE_MS);
      }
      if (again) {
        again = false;
        reconcile();
      }
    });
  }

  /**
   * The ticker stream is one connection for the whole IP: one ingest node keeps the board, chosen like a symbol's
   * owner, and the next one takes over when it leaves (its stream and one snapshot rebuild the board).
   */
  private void keepBoard(boolean keep) {
    if (config.tickers().enabled() && keep != keepsBoard) {
      keepsBoard = keep;
      log.info("ownership: this node {} the ticker board", keep ? "keeps" : "no longer keeps");
      vertx.eventBus().publish(Addresses.TICKERS_KEEP, new JsonObject().put("keep", keep), LOCAL);
    }
  }

  private Future<Void> release(List<String> symbols) {
    if (symbols.isEmpty()) {
      return Future.succeededFuture();
    }
    JsonObject ask = new JsonObject().put("release", new JsonArray(symbols));
    return vertx.eventBus().<JsonObject>request(Addresses.UPSTREAM_POSITIONS, ask, LOCAL).compose(m -> {
      symbols.forEach(owned::remove);
      vertx.eventBus().publish(Addresses.UPSTREAM_SYMBOLS, new JsonObject().put("remove", new JsonArray(symbols)),
          LOCAL);
      Map<String, long[]> entries = stamped(m.body());
      log.info("ownership: handing on {} after trades {}", symbols, m.body().encode());
      return Future.fromCompletionStage(handover.putAllAsync(entries), context);
    });
  }

  private Future<Void> take(List<String> symbols, Map<String, String> before, String self) {
    if (symbols.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Future<Long>> points = new ArrayList<>();
    for (String symbol : symbols) {
      String previous = before.get(symbol);
      boolean fromLiveOwner = previous != null && !previous.equals(self) && members.isMember(previous);
      points.add(resumePoint(symbol, fromLiveOwner ? System.currentTimeMillis() + HANDOVER_WAIT_MS : 0));
    }
    return Future.all(points).map(v -> {
      JsonObject resume = new JsonObject();
      for (int i = 0; i < symbols.size(); i++) {
        if (points.get(i).result() != null) {
          resume.put(symbols.get(i), points.get(i).result());
        }
      }
      owned.addAll(symbols);
      vertx.eventBus().publish(Addresses.UPSTREAM_SYMBOLS, new JsonObject().put("add", new JsonArray(symbols))
          .put("resume", resume), LOCAL);
      log.info("ownership: now carrying {} (continuing after {})", symbols, resume.encode());
      return null;
    });
  }

  /** The trade id to continue after: the hand-over (waited for until {@code waitUntil}), else the checkpoint. */
  private Future<Long> resumePoint(String symbol, long waitUntil) {
    return Future.fromCompletionStage(handover.getAsync(symbol), context).compose(h -> {
      long now = System.currentTimeMillis();
      if (h != null && now - h[1] <= HANDOVER_MAX_AGE_MS) {
        return Future.fromCompletionStage(handover.removeAsync(symbol), context).map(x -> h[0]);
      }
      if (now < waitUntil) {
        return vertx.timer(200).compose(v -> resumePoint(symbol, waitUntil));
      }
      return Future.fromCompletionStage(checkpoints.getAsync(symbol), context)
          .map(c -> c != null && now - c[1] <= CHECKPOINT_MAX_AGE_MS ? c[0] : null);
    });
  }

  private void checkpoint() {
    if (owned.isEmpty() || reconciling || stopping) {
      return;
    }
    vertx.eventBus().<JsonObject>request(Addresses.UPSTREAM_POSITIONS, new JsonObject(), LOCAL)
        .compose(m -> {
          JsonObject mine = new JsonObject();
          m.body().forEach(e -> {
            if (owned.contains(e.getKey())) {
              mine.put(e.getKey(), e.getValue());
            }
          });
          return Future.fromCompletionStage(checkpoints.putAllAsync(stamped(mine)), context);
        })
        .onFailure(e -> log.debug("checkpoint not written: {}", e.getMessage()));
  }

  private static Map<String, long[]> stamped(JsonObject positions) {
    long now = System.currentTimeMillis();
    Map<String, long[]> out = new LinkedHashMap<>();
    positions.forEach(e -> out.put(e.getKey(), new long[] {((Number) e.getValue()).longValue(), now}));
    return out;
  }
}
