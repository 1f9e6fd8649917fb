package io.candlebus.web;

import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Set;

/**
 * Which browser origins may use candlebus ({@code CANDLEBUS_PUBLIC_ORIGIN}). A request with an {@code Origin}
 * header must name one of them. Browsers omit {@code Origin} only on same-origin GETs, which also carry
 * {@code Sec-Fetch-Site: same-origin}; a request with neither header comes from a program, not a browser, and
 * still needs a session cookie.
 */
final class OriginPolicy {
  private volatile Set<String> allowed;

  OriginPolicy(List<String> origins) {
    this.allowed = Set.copyOf(origins);
  }

  /** The default origin names the configured port; with port 0 it is only known once the server is bound. */
  void bound(int port) {
    allowed = Set.copyOf(allowed.stream().map(o -> o.equals("http://localhost:0") ? "http://localhost:" + port
        : o.equals("http://127.0.0.1:0") ? "http://127.0.0.1:" + port : o).toList());
  }

  boolean allows(HttpServerRequest req) {
    String origin = req.getHeader("Origin");
    if (origin != null) {
      return allowed.contains(origin);
    }
    String site = req.getHeader("Sec-Fetch-Site");
    return site == null || "same-origin".equals(site) || "none".equals(site);
  }

  Set<String> origins() {
    return allowed;
  }
}
