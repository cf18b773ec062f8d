/**
 * In-process single flight: while a computation for a key runs, later callers for the same key share its
 * promise instead of starting their own. The entry is dropped when the computation settles, success or not.
 */

export interface SingleFlight {
  /**
   * Runs `fn` for `key` unless a run is in flight; `leader` says whether this call started it.
   * A rejection reaches every caller that joined.
   */
  run<T>(key: string, fn: () => Promise<T>): { promise: Promise<T>; leader: boolean };
  /** Keys with a computation in flight. */
  readonly inFlight: number;
}

export function createSingleFlight(): SingleFlight {
  const flights = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, fn: () => Promise<T>) {
      const existing = flights.get(key);
      if (existing) return { promise: existing as Promise<T>, leader: false };
      const promise = (async () => fn())().finally(() => flights.delete(key));
      flights.set(key, promise);
      return { promise, leader: true };
    },
    get inFlight() {
      return flights.size;
    },
  };
}
