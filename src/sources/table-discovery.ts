/**
 * Finds Delta tables under a lake root: every folder holding `_delta_log/` is a table, named by its path
 * relative to the root made GraphQL-safe (`sales/eu-2024` -> `sales_eu_2024`). Hidden folders, `_delta_log`
 * internals and partition folders (`key=value`) are not descended into.
 */
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

export interface DiscoveredTable {
  name: string;
  location: string;
}

const MAX_DEPTH = 6;

/** A GraphQL-safe name for a relative table path: letters, digits, underscores, not starting with a digit. */
export function tableNameFromPath(relativePath: string): string {
  const name = relativePath.split(sep).join('_').replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(name) ? `t_${name}` : name || 'root';
}

/** Lists tables under `root` (absent root gives []); names are unique: clashes get a numeric suffix. */
export async function discoverTables(root: string): Promise<DiscoveredTable[]> {
  const found: DiscoveredTable[] = [];
  await walk(root, root, 0, found);
  const seen = new Map<string, number>();
  return found
    .sort((a, b) => a.location.localeCompare(b.location))
    .map((t) => {
      const n = seen.get(t.name) ?? 0;
      seen.set(t.name, n + 1);
      return n === 0 ? t : { ...t, name: `${t.name}_${n + 1}` };
    });
}

async function walk(root: string, dir: string, depth: number, found: DiscoveredTable[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  if (entries.some((e) => e.isDirectory() && e.name === '_delta_log')) {
    found.push({ name: tableNameFromPath(relative(root, dir)), location: dir });
    return;
  }
  if (depth >= MAX_DEPTH) return;
  for (const e of entries) {
    if (!e.isDirectory() || e.name.startsWith('.') || e.name.startsWith('_') || e.name.includes('=')) continue;
    await walk(root, join(dir, e.name), depth + 1, found);
  }
}
