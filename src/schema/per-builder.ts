/**
 * Shared types (PageInfo, AsOfInput, filter inputs) must be defined once per schema build, but several domain
 * files ask for them. `perBuilder(make)` returns a getter that creates the type on first use for each builder.
 */
import type { Builder } from './builder.ts';

export function perBuilder<T>(make: (builder: Builder) => T): (builder: Builder) => T {
  const made = new WeakMap<Builder, T>();
  return (builder) => {
    if (!made.has(builder)) made.set(builder, make(builder));
    return made.get(builder)!;
  };
}
