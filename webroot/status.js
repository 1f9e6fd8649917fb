// The two status lights: the upstream (Binance, from market.status and /ready) and the bridge (this page's socket).

const UPSTREAM_LABELS = {
  CONNECTED: 'connected',
  CONNECTING: 'connecting…',
  DEGRADED: 'degraded',
  DISCONNECTED: 'disconnected',
  UNKNOWN: 'unknown',
};

export class StatusLights {
  #upstream;
  #bridge;

  constructor(upstream, bridge) {
    this.#upstream = upstream;
    this.#bridge = bridge;
  }

  /** A market.status state; detail goes to the tooltip. */
  upstream(state, detail = '') {
    const known = state in UPSTREAM_LABELS ? state : 'UNKNOWN';
    this.#upstream.dataset.state = state;
    this.#upstream.querySelector('.light-text').textContent = `Binance ${UPSTREAM_LABELS[known]}`;
    this.#upstream.title = detail ? `Upstream ${known.toLowerCase()}: ${detail}` : `Upstream ${known.toLowerCase()}`;
  }

  bridge(open) {
    this.#bridge.dataset.state = open ? 'open' : 'closed';
    this.#bridge.querySelector('.light-text').textContent = open ? 'Live' : 'Reconnecting…';
    this.#bridge.title = open ? 'Live updates are flowing' : 'The live connection is down; retrying';
  }
}

/** The upstream's state as /ready reports it: 200 means connected; a 503 names the upstream when it is the cause. */
export function upstreamFromReadiness({ ready, reasons }) {
  if (ready) {
    return { state: 'CONNECTED', detail: '' };
  }
  for (const reason of reasons) {
    const m = /^upstream\s+(CONNECTED|CONNECTING|DEGRADED|DISCONNECTED)\b:?\s*(.*)$/.exec(reason);
    if (m) {
      return { state: m[1], detail: m[2] };
    }
    if (reason.startsWith('upstream')) {
      return { state: 'UNKNOWN', detail: reason };
    }
  }
  return { state: 'CONNECTED', detail: reasons.join('; ') }; // not ready for another reason (the database)
}
