package io.candlebus.upstream;

import java.util.List;

/** A connection dropped: trades of these symbols may have been missed from {@code since} on. */
public record UpstreamGap(List<String> symbols, long since) {}
