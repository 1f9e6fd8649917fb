package io.candlebus.simulator;

/**
 * One REST request as the simulator saw it.
 *
 * @param atMillis arrival, {@link System#currentTimeMillis()}
 * @param pathAndQuery the request URI as sent
 * @param status the status answered; 0 while no answer has been started
 */
public record RestCall(long atMillis, String pathAndQuery, int status) {}
