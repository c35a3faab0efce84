/**
 * A small typed event emitter. Portable on purpose (no Node `events`): the same core runs in
 * browsers. A throwing listener never breaks the emitter's owner: its error goes to `onListenerError`.
 */

/** A listener of one event. */
export type Listener<T> = (payload: T) => void;

/** Typed `on`/`once`/`off` over an event map `{ name: payload }`. */
export class TypedEmitter<M extends object> {
  private readonly listeners = new Map<keyof M, Set<Listener<never>>>();

  /** @param onListenerError receives what a listener throws (default: ignored). */
  constructor(private readonly onListenerError: (error: unknown, event: keyof M) => void = () => {}) {}

  /** Calls `listener` on every `event`; returns a function that removes it. */
  on<K extends keyof M>(event: K, listener: Listener<M[K]>): () => void {
    let set = this.listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as Listener<never>);
    return () => this.off(event, listener);
  }

  /** Calls `listener` on the next `event` only; returns a function that removes it. */
  once<K extends keyof M>(event: K, listener: Listener<M[K]>): () => void {
    const off = this.on(event, (payload) => {
      off();
      listener(payload);
    });
    return off;
  }

  /** Removes `listener` from `event` (no-op when it is not there). */
  off<K extends keyof M>(event: K, listener: Listener<M[K]>): void {
    this.listeners.get(event)?.delete(listener as Listener<never>);
  }

  /** Number of listeners of `event`. */
  listenerCount(event: keyof M): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  /** Calls the listeners of `event` in the order they were added. */
  protected emit<K extends keyof M>(event: K, payload: M[K]): void {
    const set = this.listeners.get(event);
    if (set === undefined) return;
    // A snapshot: listeners that add or remove listeners do not change this emission.
    for (const listener of [...set] as Listener<M[K]>[]) {
      try {
        listener(payload);
      } catch (e) {
        this.onListenerError(e, event);
      }
    }
  }
}
