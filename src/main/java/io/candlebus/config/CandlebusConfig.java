package io.candlebus.config;

import io.candlebus.domain.Interval;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The validated configuration; see {@link ConfigLoader} and SPEC.md "Configuration". */
public record CandlebusConfig(
    int httpPort,
    String httpHost,
    List<String> publicOrigins,
    URI binanceWsUrl,
    URI binanceRestUrl,
    List<String> symbols,
    List<Interval> intervals,
    int historyLimit,
    Optional<String> pgUrl,
    Path dataDir,
    boolean cluster,
    List<String> clusterMembers,
    String clusterHost,
    int clusterPort,
    Role role,
    long upstreamMaxAgeMs,
    long upstreamSilenceMs,
    int httpInstances,
    DepthSettings depth,
    TickerSettings tickers,
    List<Long> webhookRetriesMs,
    LimitSettings limits) {

  public CandlebusConfig {
    publicOrigins = List.copyOf(publicOrigins);
    symbols = List.copyOf(symbols);
    intervals = List.copyOf(intervals);
    clusterMembers = List.copyOf(clusterMembers);
    webhookRetriesMs = List.copyOf(webhookRetriesMs);
  }

  /** The symbols a node carries from its start; in a cluster it carries only those it is given to own. */
  public List<String> symbolsAtStart() {
    return cluster ? List.of() : symbols;
  }

  public CandlebusConfig withDepth(DepthSettings newDepth) {
    return new CandlebusConfig(httpPort, httpHost, publicOrigins, binanceWsUrl, binanceRestUrl, symbols, intervals,
        historyLimit, pgUrl, dataDir, cluster, clusterMembers, clusterHost, clusterPort, role,
        upstreamMaxAgeMs, upstreamSilenceMs, httpInstances, newDepth, tickers, webhookRetriesMs, limits);
  }

  public CandlebusConfig withHttpPort(int port) {
    return new CandlebusConfig(port, httpHost, publicOrigins, binanceWsUrl, binanceRestUrl, symbols, intervals,
        historyLimit, pgUrl, dataDir, cluster, clusterMembers, clusterHost, clusterPort, role,
        upstreamMaxAgeMs, upstreamSilenceMs, httpInstances, depth, tickers, webhookRetriesMs, limits);
  }

  public CandlebusConfig withLimits(LimitSettings newLimits) {
    return new CandlebusConfig(httpPort, httpHost, publicOrigins, binanceWsUrl, binanceRestUrl, symbols, intervals,
        historyLimit, pgUrl, dataDir, cluster, clusterMembers, clusterHost, clusterPort, role,
        upstreamMaxAgeMs, upstreamSilenceMs, httpInstances, depth, tickers, webhookRetriesMs, newLimits);
  }
}
