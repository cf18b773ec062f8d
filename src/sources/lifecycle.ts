/** Shared shape of every adapter in src/sources: created by a `createX(deps)` factory, released by `close()`. */
export interface Closeable {
  close(): Promise<void>;
}

/** A named readiness probe: resolves when the dependency answers, rejects with the reason otherwise. */
export interface ReadinessProbe {
  readonly name: string;
  check(): Promise<void>;
}
