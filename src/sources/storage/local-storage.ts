/**
 * DeltaStorage over the local file system (node:fs): the table root is a folder; every path is relative to it
 * with '/' separators. Creating a commit is atomic and exclusive (write a temp file, then hard-link it to the
 * final name, which fails when the name exists); plain writes replace atomically with rename.
 */
import { randomUUID } from 'node:crypto';
import { link, mkdir, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve as resolvePath, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeltaError, type DeltaStorage, type FileMeta } from '../../delta/index.ts';

const STAT_CONCURRENCY = 32;
const URI_SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

/**
 * Creates storage rooted at `root` (made absolute). Missing folders list as empty; a missing file read is IO_ERROR.
 */
export function createLocalStorage(root: string): DeltaStorage {
  const base = resolvePath(root);
  const abs = (path: string) => join(base, ...path.split('/'));

  return {
    root: base,

    async list(dir) {
      let entries;
      try {
        entries = await readdir(abs(dir), { withFileTypes: true });
      } catch (e) {
        if (isCode(e, 'ENOENT') || isCode(e, 'ENOTDIR')) return [];
        throw ioError(`cannot list ${dir} in ${base}`, e);
      }
      const names = entries.filter((e) => e.isFile()).map((e) => e.name).sort();
      const prefix = dir === '' || dir === '.' ? '' : `${dir.replace(/\/+$/, '')}/`;
      const metas: (FileMeta | undefined)[] = new Array(names.length);
      let next = 0;
      const worker = async () => {
        while (next < names.length) {
          const i = next++;
          metas[i] = await statFile(abs(`${prefix}${names[i]}`), `${prefix}${names[i]}`);
        }
      };
      await Promise.all(Array.from({ length: Math.min(STAT_CONCURRENCY, names.length) }, worker));
      return metas.filter((m): m is FileMeta => m !== undefined);
    },

    async listRecursive(dir) {
      let entries;
      try {
        entries = await readdir(abs(dir), { recursive: true, withFileTypes: true });
      } catch (e) {
        if (isCode(e, 'ENOENT') || isCode(e, 'ENOTDIR')) return [];
        throw ioError(`cannot list ${dir} in ${base}`, e);
      }
      const paths = entries
        .filter((e) => e.isFile())
        .map((e) => relative(base, join(e.parentPath, e.name)).split(sep).join('/'))
        .sort();
      const metas = await Promise.all(paths.map((p) => statFile(abs(p), p)));
      return metas.filter((m): m is FileMeta => m !== undefined);
    },

    async read(path) {
      try {
        return await readFile(abs(path));
      } catch (e) {
        if (isCode(e, 'ENOENT')) throw ioError(`file not found: ${path} in ${base}`, e);
        throw ioError(`cannot read ${path} in ${base}`, e);
      }
    },

    async readAbsolute(uri) {
      const file = this.resolve(uri);
      if (URI_SCHEME.test(file)) throw new DeltaError('IO_ERROR', `cannot read ${uri}: not a local file`);
      try {
        return await readFile(file);
      } catch (e) {
        throw ioError(isCode(e, 'ENOENT') ? `file not found: ${uri}` : `cannot read ${uri}`, e);
      }
    },

    stat: (path) => statFile(abs(path), path),

    async writeIfAbsent(path, data) {
      const target = abs(path);
      await mkdir(dirname(target), { recursive: true });
      const temp = `${dirname(target)}${sep}.${randomUUID()}.tmp`;
      await writeFile(temp, data);
      try {
        await link(temp, target);
        return true;
      } catch (e) {
        if (isCode(e, 'EEXIST')) return false;
        // Some file systems have no hard links: fall back to an exclusive create.
        return await writeExclusive(target, data);
      } finally {
        await unlink(temp).catch(() => undefined);
      }
    },

    async write(path, data) {
      const target = abs(path);
      await mkdir(dirname(target), { recursive: true });
      const temp = `${dirname(target)}${sep}.${randomUUID()}.tmp`;
      try {
        await writeFile(temp, data);
        await rename(temp, target);
      } catch (e) {
        await unlink(temp).catch(() => undefined);
        throw ioError(`cannot write ${path} in ${base}`, e);
      }
    },

    async delete(path) {
      await rm(abs(path), { force: true });
    },

    resolve(path) {
      if (path.startsWith('file:')) return fileURLToPath(path);
      if (URI_SCHEME.test(path)) return path;
      const decoded = decodePath(path);
      return isAbsolute(decoded) ? decoded : abs(decoded);
    },
  };
}

/** Add paths are URL-encoded (`%20`, `%3A`); a path that is not valid encoding is taken literally. */
function decodePath(path: string): string {
  if (!path.includes('%')) return path;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

async function writeExclusive(target: string, data: Uint8Array): Promise<boolean> {
  try {
    await writeFile(target, data, { flag: 'wx' });
    return true;
  } catch (e) {
    if (isCode(e, 'EEXIST')) return false;
    throw ioError(`cannot create ${target}`, e);
  }
}

async function statFile(file: string, path: string): Promise<FileMeta | undefined> {
  try {
    const s = await stat(file);
    return s.isFile() ? { path, size: s.size, modificationTime: Math.floor(s.mtimeMs) } : undefined;
  } catch (e) {
    if (isCode(e, 'ENOENT') || isCode(e, 'ENOTDIR')) return undefined;
    throw ioError(`cannot stat ${path}`, e);
  }
}

function isCode(e: unknown, code: string): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === code;
}

function ioError(message: string, cause: unknown): DeltaError {
  return new DeltaError('IO_ERROR', `${message}: ${(cause as Error)?.message ?? String(cause)}`, { cause });
}
