/**
 * The {@code capture} command: Binance's streams (or the simulator's) recorded as received, straight from the
 * exchange's WebSocket, into CSV files per symbol, stream and UTC slice ({@link io.candlebus.capture.CaptureCommand}).
 * It is standalone: it never runs or talks to a gateway node.
 */
package io.candlebus.capture;
