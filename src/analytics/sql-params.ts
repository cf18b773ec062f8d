/**
 * Collects bound parameters while a builder writes SQL. Each value becomes a positional placeholder `$n` with an
 * explicit cast, so the SQL means the same whatever type the driver infers for a JS number.
 */
export class SqlParams {
  private readonly values: unknown[];

  /** `initial` are parameters the source relation already binds as `$1..$k`. */
  constructor(initial: readonly unknown[] = []) {
    this.values = [...initial];
  }

  /** Appends `value` and returns its placeholder, e.g. `$3::BIGINT`. */
  add(value: number | string, cast: 'BIGINT' | 'INTEGER' | 'DOUBLE' | 'VARCHAR'): string {
    this.values.push(value);
    return `$${this.values.length}::${cast}`;
  }

  /** The parameter values in placeholder order. */
  list(): unknown[] {
    return [...this.values];
  }
}
