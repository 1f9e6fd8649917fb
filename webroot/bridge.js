// The SockJS event-bus bridge. The client drops every handler when the socket closes, so subscriptions live here
// and are registered again on each open.

/* global EventBus */

export class Bridge {
  #eb;
  #subscriptions = new Map(); // address → Set of handlers (body) => void
  #callbacks = new Map(); // address → the one callback registered with the current socket
  #opened = false;

  /** onOpen(reconnected) after each open, onClose() after each close. */
  constructor({ onOpen, onClose, url = '/eventbus' }) {
    this.#eb = new EventBus(url, { vertxbus_ping_interval: 5000, vertxbus_reconnect_delay_max: 4000 });
    this.#eb.enableReconnect(true);
    this.#eb.onopen = () => {
      const reconnected = this.#opened;
      this.#opened = true;
      this.#callbacks.clear();
      for (const address of this.#subscriptions.keys()) {
        this.#register(address);
      }
      onOpen(reconnected);
    };
    this.#eb.onclose = () => onClose();
    this.#eb.onerror = (e) => console.warn('bridge error', e);
  }

  get open() {
    return this.#eb.state === EventBus.OPEN;
  }

  /** Calls handler with each message body on address until the returned function is called. */
  subscribe(address, handler) {
    let handlers = this.#subscriptions.get(address);
    if (!handlers) {
      handlers = new Set();
      this.#subscriptions.set(address, handlers);
      if (this.open) {
        this.#register(address);
      }
    }
    handlers.add(handler);
    return () => this.#unsubscribe(address, handler);
  }

  /** Closes for good (logout): no reconnect. */
  close() {
    this.#subscriptions.clear();
    this.#eb.close();
  }

  #register(address) {
    const callback = (err, message) => {
      if (err) {
        console.warn(`bridge refused ${address}`, err);
        return;
      }
      for (const handler of this.#subscriptions.get(address) ?? []) {
        handler(message.body);
      }
    };
    this.#callbacks.set(address, callback);
    this.#eb.registerHandler(address, callback);
  }

  #unsubscribe(address, handler) {
    const handlers = this.#subscriptions.get(address);
    if (!handlers?.delete(handler) || handlers.size > 0) {
      return;
    }
    this.#subscriptions.delete(address);
    const callback = this.#callbacks.get(address);
    this.#callbacks.delete(address);
    if (callback && this.open) {
      this.#eb.unregisterHandler(address, callback);
    }
  }
}
