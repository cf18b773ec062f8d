/**
 * GraphQL-safe names for Delta column and table names: invalid characters become `_`, a leading digit or
 * double underscore gets a prefix, and clashes get numeric suffixes so every name stays unique.
 */

export function graphqlName(raw: string): string {
  let name = raw.replace(/[^A-Za-z0-9_]/g, '_');
  if (name === '' || /^[0-9]/.test(name)) name = `_${name}`;
  if (name.startsWith('__')) name = `f${name}`;
  return name;
}

/** Unique GraphQL names for a list of raw names, in the same order. */
export function graphqlFieldNames(raw: readonly string[], reserved: ReadonlySet<string> = new Set()): string[] {
  const used = new Set(reserved);
  return raw.map((r) => {
    const base = graphqlName(r);
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
    used.add(name);
    return name;
  });
}
