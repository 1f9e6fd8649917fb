/**
 * A Binance-compatible market-data server for tests, the {@code demo} command and {@code simulate}.
 *
 * <p>Entry points: {@link io.candlebus.simulator.BinanceSimulator} (the verticle, with its faults and
 * {@link io.candlebus.simulator.SimStats}), {@link io.candlebus.simulator.SimulatorOptions} (its settings),
 * {@link io.candlebus.simulator.TradeHistory} (the trades, for test assertions),
 * {@link io.candlebus.simulator.MalformedFrames} (bad frames) and {@link io.candlebus.simulator.SimulatorCommand}
 * (the CLI).
 *
 * <h2>What is simulated, and where it knowingly differs from Binance</h2>
 * <ul>
 *   <li>Trades: one deterministic history per symbol (see {@code TradeGenerator}); same (seed, symbol, startTime,
 *       rate, historyMinutes) gives the same trades on any JDK. Memory holds at least
 *       {@code maxTradesPerSymbol} trades; older ones are dropped in blocks. REST then answers ids and times that
 *       fell out from the oldest trade still held, and serves klines only from the first window that is complete
 *       in memory. A quiet symbol costs kilobytes (blocks grow as trades arrive), so 1 500 symbols start in
 *       about a second.</li>
 *   <li>Streams: {@code <sym>@aggTrade} and {@code <sym>@kline_<interval>} (all 16 intervals, lower-case symbol).
 *       The depth streams ({@code @depth@100ms}, {@code @depth5|10|20@100ms}, {@code @bookTicker}) come from a
 *       random book per symbol that is stepped only once someone subscribed to it, asked for its snapshot or set
 *       a fault on it. All-market tickers: {@code !miniTicker@arr} and {@code !ticker_1h|4h|1d@arr}, one frame a
 *       second holding only the symbols whose window changed (a trade came in or left). Any other name is
 *       accepted and stays silent. {@code timeUnit} and {@code @+08:00} are not supported
 *       (ignored / silent). Stream timing follows simulated time, ticked every 20 ms of real time.</li>
 *   <li>Control messages: replies and codes as in the notes §1.3; the id is echoed whenever it could be read.
 *       The reply to more than 1024 streams and the wording of type errors are not documented by Binance and
 *       are our own (code 2).</li>
 *   <li>Rate rule: pongs that answer our pings do not count toward 5 messages/s (so short test ping intervals
 *       cannot trip it); text, ping, binary and unsolicited pong frames do.</li>
 *   <li>REST weight: a sliding 60 s window per client IP instead of Binance's calendar minute; refused (429/418)
 *       requests cost nothing. A request that comes before the Retry-After we announced has passed is answered
 *       418 with the ban time left (and counted in {@link io.candlebus.simulator.SimStats#restViolations}); unlike
 *       Binance the ban does not grow with repeated violations. {@code limit} above 1000 is cut to 1000; 0 is
 *       -1130. {@code fromId} together with a time is -1128. Only UTC klines ({@code timeZone} 0).</li>
 *   <li>24 h tickers ({@code /api/v3/ticker/24hr}, FULL or MINI): the trades in (closeTime - 24 h, closeTime],
 *       closeTime the request's simulated now, so an answer equals the stream's items with E = closeTime.
 *       bid/ask are the book's best levels once the book is live, else the last price with quantity 0. Symbols
 *       that never traded are left out of arrays. The rolling REST {@code /api/v3/ticker} is not served.</li>
 *   <li>Faults (methods of {@link io.candlebus.simulator.BinanceSimulator}, and {@code /sim/...} HTTP routes on the
 *       same port, which cost no weight): drop all connections, silence the open ones, skip or lose the next
 *       trades of a symbol, serverShutdown, forced 429/418 answers, bad frames from
 *       {@link io.candlebus.simulator.MalformedFrames}, depth holes, stale snapshots and bad depth frames, the
 *       all-symbols ticker snapshot refused (without a ban) or answered late, a symbol's exchangeInfo status. A
 *       silenced connection still gets Vert.x's automatic answers to the client's ping and close frames. Skipped
 *       and lost trades stay in every kline.</li>
 *   <li>Archive mode: only REST klines of the archived symbols come from the zips (nothing for 1s); their stream,
 *       aggTrades and ticker stay synthetic.</li>
 *   <li>Replay mode: each connection gets its own playback of the whole recording, from when it first subscribes
 *       to a recorded stream; it plays once.</li>
 * </ul>
 */
package io.candlebus.simulator;
