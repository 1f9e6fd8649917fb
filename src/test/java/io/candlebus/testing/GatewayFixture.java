package io.candlebus.testing;

import static io.candlebus.testing.Await.await;

import io.candlebus.Gateway;
import io.candlebus.simulator.BinanceSimulator;
import io.candlebus.simulator.SimulatorOptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One gateway on the project's Binance simulator, with its own fresh database on the test PostgreSQL and users
 * that can log in: the world most gateway tests need, built in one line and closed with everything it opened.
 *
 * <pre>try (GatewayFixture f = GatewayFixture.aGateway(vertx).withRate(50).withUsers("alice", "bob").start()) {
 *   HttpSession alice = f.login("alice");
 *   SockJsClient browser = f.socket(alice);
 *   ...
 * }</pre>
 *
 * <p>Blocking: build and use it from the test thread, never on an event loop.
 */
public final class GatewayFixture implements AutoCloseable {
  private final Vertx vertx;
  private final BinanceSimulator sim;
  private final String simDeployment;
  private final Gateway gateway;
  private final String pgUrl;
  /** The temporary folder the fixture made, removed on close; null when the test gave one. */
  private final Path ownedDir;
  private final List<SockJsClient> sockets = new ArrayList<>();

  private GatewayFixture(Vertx vertx, BinanceSimulator sim, String simDeployment, Gateway gateway, String pgUrl,
      Path ownedDir) {
    this.vertx = vertx;
    this.sim = sim;
    this.simDeployment = simDeployment;
    this.gateway = gateway;
    this.pgUrl = pgUrl;
    this.ownedDir = ownedDir;
  }

  /** A gateway in {@code vertx} (the test's, from {@code VertxExtension}): one symbol, BTCUSDT, at 20 trades/s. */
  public static Builder aGateway(Vertx vertx) {
    return new Builder(vertx);
  }

  /** What the gateway and its simulator are to be; every setting has the default said beside it. */
  public static final class Builder {
    private final Vertx vertx;
    private SimulatorOptions simulator = SimulatorOptions.defaults().withSymbols("BTCUSDT").withRate(20)
        .withHistoryMinutes(5);
    /** 1m candles only, a small backfill: set-up stays short. */
    private final Map<String, String> env = new HashMap<>(Map.of("CANDLEBUS_INTERVALS", "1m",
        "CANDLEBUS_HISTORY_LIMIT", "5"));
    private final List<String> users = new ArrayList<>();
    private Path dir;

    private Builder(Vertx vertx) {
      this.vertx = vertx;
    }

    public Builder withSymbols(String... symbols) {
      simulator = simulator.withSymbols(symbols);
      return this;
    }

    /** Trades per second per symbol (20). */
    public Builder withRate(double tradesPerSecond) {
      simulator = simulator.withRate(tradesPerSecond);
      return this;
    }

    /** Minutes of history the simulator holds before its start (5). */
    public Builder withHistoryMinutes(int minutes) {
      simulator = simulator.withHistoryMinutes(minutes);
      return this;
    }

    public Builder withSimulator(SimulatorOptions options) {
      simulator = options;
      return this;
    }

    /** A {@code CANDLEBUS_*} variable for the gateway, over the fixture's own. */
    public Builder with(String variable, String value) {
      env.put(variable, value);
      return this;
    }

    /** Users created with {@link TestUsers#PASSWORD}. */
    public Builder withUsers(String... names) {
      users.addAll(List.of(names));
      return this;
    }

    /** Where the gateway keeps its files (a new temporary folder, removed on close). */
    public Builder inDirectory(Path directory) {
      dir = directory;
      return this;
    }

    public GatewayFixture start() {
      BinanceSimulator sim = new BinanceSimulator(simulator);
      String deployment = await(vertx.deployVerticle(sim));
      Path where = dir;
      try {
        where = where != null ? where : Files.createTempDirectory("candlebus-fixture");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      String db = TestPostgres.newDatabaseUrl();
      Gateway g = await(Gateway.deploy(vertx, TestConfigs.against(sim, db, where, env)));
      if (!users.isEmpty()) {
        TestUsers.create(vertx, db, users.toArray(String[]::new));
      }
      return new GatewayFixture(vertx, sim, deployment, g, db, dir == null ? where : null);
    }
  }

  public Gateway gateway() {
    return gateway;
  }

  public BinanceSimulator sim() {
    return sim;
  }

  public Vertx vertx() {
    return vertx;
  }

  public String pgUrl() {
    return pgUrl;
  }

  public int port() {
    return gateway.httpPort();
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String base() {
    return "http://127.0.0.1:" + port();
  }

  /** The Origin a browser on the page sends. */
  public String origin() {
    return "http://localhost:" + port();
  }

  public MeterRegistry registry() {
    return gateway.registry();
  }

  /** A counter's value; 0 while nothing was counted (the counter does not exist yet). */
  public double count(String name, String... tags) {
    Counter c = gateway.registry().find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  /** A user of {@link Builder#withUsers}, logged in. */
  public HttpSession login(String username) {
    return HttpSession.login(base(), username, TestUsers.PASSWORD);
  }

  /** A bridge socket of {@code session}'s browser, from the page's Origin; closed with the fixture. */
  public SockJsClient socket(HttpSession session) {
    SockJsClient c = await(SockJsClient.connect(vertx, port(), session.sessionCookie(), origin(), 0));
    synchronized (sockets) {
      sockets.add(c);
    }
    return c;
  }

  @Override
  public void close() {
    List<SockJsClient> open;
    synchronized (sockets) {
      open = List.copyOf(sockets);
    }
    open.forEach(c -> await(c.close()));
    await(gateway.close());
    await(vertx.undeploy(simDeployment));
    if (ownedDir != null) {
      io.candlebus.Demo.deleteQuietly(ownedDir);
    }
  }
}
