/** An in-memory DeltaStorage for unit tests: files as strings, with settable mtimes. */
import { DeltaError } from '../../src/delta/errors.ts';
import type { DeltaStorage, FileMeta } from '../../src/delta/storage.ts';

export interface MemoryStorage extends DeltaStorage {
  files: Map<string, { data: Uint8Array; mtime: number }>;
  /** Adds a file from text (or JSON values, one per line). */
  put(path: string, content: string | object[], mtime?: number): void;
}

export function createMemoryStorage(root = 'mem://table'): MemoryStorage {
  const files = new Map<string, { data: Uint8Array; mtime: number }>();
  const enc = new TextEncoder();
  const meta = (path: string): FileMeta | undefined => {
    const f = files.get(path);
    return f && { path, size: f.data.length, modificationTime: f.mtime };
  };
  return {
    root,
    files,
    put(path, content, mtime = 1_000) {
      const text = typeof content === 'string' ? content : content.map((v) => JSON.stringify(v)).join('\n') + '\n';
      files.set(path, { data: enc.encode(text), mtime });
    },
    async list(dir) {
      const prefix = `${dir}/`;
      return [...files.keys()].filter((p) => p.startsWith(prefix) && !p.slice(prefix.length).includes('/')).sort().map((p) => meta(p)!);
    },
    async read(path) {
      const f = files.get(path);
      if (!f) throw new DeltaError('IO_ERROR', `file not found: ${path}`);
      return f.data;
    },
    async stat(path) {
      return meta(path);
    },
    async writeIfAbsent(path, data) {
      if (files.has(path)) return false;
      files.set(path, { data, mtime: Date.now() });
      return true;
    },
    async write(path, data) {
      files.set(path, { data, mtime: Date.now() });
    },
    async delete(path) {
      files.delete(path);
    },
    resolve(path) {
      return `${root}/${path}`;
    },
  };
}
