package io.candlebus.upstream;

import io.candlebus.Addresses;
import io.candlebus.config.CandlebusConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries one more symbol when a user opens a market of the board that the gateway does not carry yet: checks it
 * against exchangeInfo and {@code symbols.max}, then tells the upstream, the candle builder, the backfill and the
 * alerts on {@code upstream.symbols} (no reconnect: a SUBSCRIBE), and every web node on {@code symbols.changed}.
 * Symbols added so are carried until the process stops. Not in a cluster yet, where ownership carries only the
 * configured symbols.
 */
public final class CarryVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(CarryVerticle.class);
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final CandlebusConfig config;
  private final Set<String> carried = new LinkedHashSet<>();

  public CarryVerticle(CandlebusConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    carried.addAll(config.symbols());
    vertx.eventBus().<JsonObject>consumer(Addresses.SYMBOLS_CARRY, this::handleCarry);
    vertx.eventBus().consumer(Addresses.SYMBOLS_CARRIED, m -> m.reply(new JsonArray(new ArrayList<>(carried))));
    return Future.succeededFuture();
  }

  private int max() {
    return Math.max(config.tickers().maxSymbols(), config.symbols().size());
  }

  private void handleCarry(Message<JsonObject> msg) {
    String symbol = msg.body().getString("symbol", "").trim().toUpperCase(Locale.ROOT);
    if (carried.contains(symbol)) {
      msg.reply(answer(symbol, false));
      return;
    }
    if (config.cluster()) {
      msg.fail(501, "a cluster carries the configured symbols only (CANDLEBUS_SYMBOLS); add " + symbol + " there");
      return;
    }
    if (carried.size() >= max()) {
      msg.fail(409, "already carrying " + carried.size() + " symbols, the most allowed (symbols.max = " + max() + ")");
      return;
    }
    vertx.eventBus().<JsonArray>request(Addresses.EXCHANGE_SYMBOLS, null).onComplete(ar -> {
      if (ar.failed()) {
        msg.fail(503, "cannot check " + symbol + " against exchangeInfo: " + ar.cause().getMessage());
        return;
      }
      boolean listed = ar.result().body().stream().anyMatch(o -> symbol.equals(((JsonObject) o).getString("symbol"))
          && "TRADING".equals(((JsonObject) o).getString("status")));
      if (!listed) {
        msg.fail(404, symbol + " is not a market Binance trades now");
      } else if (carried.contains(symbol)) {
        msg.reply(answer(symbol, false)); // asked twice meanwhile
      } else if (carried.size() >= max()) {
        msg.fail(409, "already carrying " + carried.size() + " symbols, the most allowed (symbols.max = " + max()
            + ")");
      } else {
        carried.add(symbol);
        vertx.eventBus().publish(Addresses.UPSTREAM_SYMBOLS, new JsonObject().put("add", new JsonArray().add(symbol)),
            LOCAL);
        vertx.eventBus().publish(Addresses.SYMBOLS_CHANGED, new JsonArray(new ArrayList<>(carried)));
        log.info("carrying {} at a user's request ({} of at most {} symbols)", symbol, carried.size(), max());
        msg.reply(answer(symbol, true));
      }
    });
  }

  private JsonObject answer(String symbol, boolean added) {
    return new JsonObject().put("symbol", symbol).put("added", added)
        .put("carried", new JsonArray(new ArrayList<>(carried)));
  }
}
