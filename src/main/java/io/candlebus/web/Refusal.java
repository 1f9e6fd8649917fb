package io.candlebus.web;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/**
 * Every bound that can refuse something, counted in one series: {@code candlebus_refused_total{limit="..."}}, the
 * label being the constant's name in lower case. A refusal a user can see also says which bound it was (a 400, 429
 * or 503 body, an {@code err} frame, a close reason).
 */
public enum Refusal {
  /** A value a user sent that the input rule refused (a 400 naming the field). */
  BAD_INPUT,
  /** A connection beyond {@code http.max.connections}. */
  HTTP_CONNECTIONS,
  /** A connection beyond {@code http.max.connections.per.address} from one address. */
  HTTP_CONNECTIONS_PER_ADDRESS,
  /** A connection closed for not sending a request's whole header within {@code http.header.timeout.ms}. */
  HTTP_HEADER_TIMEOUT,
  /** A connection closed for not sending a request's whole body within {@code http.body.timeout.ms}. */
  HTTP_BODY_TIMEOUT,
  /** A bridge socket closed because it let its bounded outbound queue fill with what cannot be dropped. */
  BRIDGE_QUEUE,
  /** A bridge socket closed for sending garbage frame after frame. */
  BRIDGE_GARBAGE,
  /** A bridge socket refused beyond {@code bridge.max.sockets.per.session}. */
  BRIDGE_SOCKETS_PER_SESSION,
  /** A bridge socket refused beyond {@code bridge.max.sockets.per.user}. */
  BRIDGE_SOCKETS_PER_USER,
  /** A live indicator registration refused beyond {@code indicators.max.feeds.per.user}. */
  INDICATOR_FEEDS_PER_USER,
  /** A live indicator registration refused beyond {@code indicators.max.feeds}. */
  INDICATOR_FEEDS;

  public static final String METER = "candlebus_refused_total";

  /** The {@code limit} label. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public void count(MeterRegistry registry) {
    registry.counter(METER, "limit", label()).increment();
  }
}
