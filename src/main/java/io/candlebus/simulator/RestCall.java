package io.candlebus.simulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * One REST request as the simulator saw it.
 *
 * @param atMillis arrival, {@link System#currentTimeMillis()}
 * @param pathAndQuery the request URI as sent
 * @param status the status answered; 0 while no answer has been started (a delayed ticker snapshot, say)
 */
public record RestCall(long atMillis, String pathAndQuery, int status) {

  /** A {@code GET /api/v3/ticker/24hr} for every symbol: neither {@code symbol} nor {@code symbols} was sent. */
  public boolean isAllSymbolsTicker() {
    return isTicker24hr() && !hasParameter("symbol") && !hasParameter("symbols");
  }

  /** A {@code GET /api/v3/ticker/24hr} of any kind. */
  public boolean isTicker24hr() {
    int q = pathAndQuery.indexOf('?');
    return (q < 0 ? pathAndQuery : pathAndQuery.substring(0, q)).equals(RestApi.TICKER_24HR);
  }

  private boolean hasParameter(String name) {
    int q = pathAndQuery.indexOf('?');
    if (q < 0) {
      return false;
    }
    for (String kv : pathAndQuery.substring(q + 1).split("&")) {
      int eq = kv.indexOf('=');
      if (URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
        return true;
      }
    }
    return false;
  }
}
