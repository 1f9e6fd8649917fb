package io.candlebus.upstream;

import io.candlebus.Addresses;
import io.candlebus.config.CandlebusConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Answers {@code upstream.exchange-symbols} with Binance's symbols from {@code exchangeInfo}, fetched when first
 * asked and again once older than {@code exchange.info.refresh.ms} (default hourly; it weighs 20 of the REST budget)
 * or than the {@code maxAgeMs} a request asks for.
 */
public final class ExchangeInfoVerticle extends VerticleBase {
  private final CandlebusConfig config;
  private final RestWeightLimiter limiter;
  private final MeterRegistry registry;
  private BinanceRest rest;
  private JsonArray symbols;
  private long fetchedAt;
  private Future<JsonArray> fetching;

  public ExchangeInfoVerticle(CandlebusConfig config, RestWeightLimiter limiter, MeterRegistry registry) {
    this.config = config;
    this.limiter = limiter;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    rest = new BinanceRest(vertx, config.binanceRestUrl(), limiter, registry);
    vertx.eventBus().consumer(Addresses.EXCHANGE_SYMBOLS, this::handleSymbols);
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return rest.close();
  }

  private void handleSymbols(Message<Object> msg) {
    long maxAge = config.tickers().marketsRefreshMs();
    if (msg.body() instanceof JsonObject o && o.getLong("maxAgeMs") != null) {
      maxAge = Math.min(maxAge, Math.max(1_000, o.getLong("maxAgeMs")));
    }
    symbols(maxAge).onSuccess(msg::reply).onFailure(e -> msg.fail(503, "exchangeInfo: " + e.getMessage()));
  }

  private Future<JsonArray> symbols(long maxAgeMs) {
    // a little early, so a periodic asker with the same period never gets the copy it got last time
    if (symbols != null && System.currentTimeMillis() - fetchedAt < maxAgeMs - Math.min(500, maxAgeMs / 10)) {
      return Future.succeededFuture(symbols);
    }
    if (fetching == null) {
      fetching = rest.exchangeInfo().map(info -> {
        JsonArray out = new JsonArray();
        info.getJsonArray("symbols", new JsonArray()).forEach(s -> {
          JsonObject o = (JsonObject) s;
          out.add(new JsonObject().put("symbol", o.getString("symbol")).put("status", o.getString("status"))
              .put("baseAsset", o.getString("baseAsset")).put("quoteAsset", o.getString("quoteAsset")));
        });
        symbols = out;
        fetchedAt = System.currentTimeMillis();
        return out;
      }).onComplete(ar -> fetching = null);
    }
    return fetching;
  }
}
