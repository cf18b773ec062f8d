/**
 * Runs Python against delta-rs (the `deltalake` package) for interoperability tests: tables it writes must
 * read the same through the gateway, and tables the gateway writes must read the same through it.
 *
 *   const rows = await runDeltaRsJson<Row[]>(`
 *     import pyarrow as pa
 *     from deltalake import write_deltalake, DeltaTable
 *     write_deltalake(INPUT["path"], pa.table({"id": [1, 2]}))
 *     emit(DeltaTable(INPUT["path"]).to_pyarrow_table().to_pylist())
 *   `, { path });
 */
import { spawn } from 'node:child_process';
import { inject } from 'vitest';
import './services.ts';

export interface RunDeltaRsOptions {
  /** Working directory of the script; defaults to the test process's. */
  cwd?: string;
  /** Kills the script after this long; default 120 s. */
  timeoutMs?: number;
  /** Text written to the script's stdin. */
  stdin?: string;
  /** Python to run; defaults to `inject('deltaRsPython')`. */
  python?: string;
}

interface RawResult {
  stdout: string;
  result: string;
}

/** Python source is dedented so template literals can be indented like the surrounding test. */
function dedent(code: string): string {
  const lines = code.replace(/^\n/, '').split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join('\n');
}

/**
 * Appended to every script: flush and leave with os._exit, skipping interpreter finalization. delta-rs's native
 * threads can abort the process there after the work is done ("terminate called without an active exception",
 * delta-io/delta-rs#2184), which on a busy machine failed a test about once in a few hundred scripts.
 */
const EPILOGUE = '\nimport sys as _sys_exit, os as _os_exit\n_sys_exit.stdout.flush()\n_sys_exit.stderr.flush()\n_os_exit._exit(0)\n';

function runPython(code: string, args: string[], opts: RunDeltaRsOptions, resultFd: boolean): Promise<RawResult> {
  const python = opts.python ?? inject('deltaRsPython');
  const timeoutMs = opts.timeoutMs ?? 120_000;
  return new Promise((resolve, reject) => {
    const child = spawn(python, ['-c', dedent(code) + EPILOGUE, ...args], {
      cwd: opts.cwd,
      env: { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' },
      stdio: resultFd ? ['pipe', 'pipe', 'pipe', 'pipe'] : ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let result = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    if (resultFd) child.stdio[3]!.on('data', (d: Buffer) => (result += d.toString()));
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${timeoutMs} ms)`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`could not run ${python}: ${e.message}`));
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout, result });
      else reject(new Error(`delta-rs script failed (exit ${code}):\n${stderr.trim()}\n--- stdout ---\n${stdout.trim()}`));
    });
    child.stdin!.end(opts.stdin ?? '');
  });
}

/**
 * Runs `pythonCode` with the delta-rs python (`python -c code ...args`) and returns its stdout.
 * Throws with the script's stderr when it exits non-zero or runs past `timeoutMs`.
 */
export async function runDeltaRs(pythonCode: string, args: string[] = [], opts: RunDeltaRsOptions = {}): Promise<string> {
  return (await runPython(pythonCode, args, opts, false)).stdout;
}

// Defines INPUT (the JSON input) and emit(value) (the JSON result, written to fd 3 so prints on stdout
// cannot corrupt it). Dates, decimals and bytes become strings: ISO 8601, decimal text, base64.
const JSON_PRELUDE = `
import json as _json, sys as _sys, os as _os, base64 as _b64, datetime as _dt, decimal as _dec
INPUT = _json.loads(_sys.stdin.read() or "null")
def _default(v):
    if isinstance(v, (_dt.datetime, _dt.date, _dt.time)): return v.isoformat()
    if isinstance(v, _dt.timedelta): return v.total_seconds()
    if isinstance(v, _dec.Decimal): return str(v)
    if isinstance(v, (bytes, bytearray)): return _b64.b64encode(v).decode()
    if hasattr(v, "as_py"): return v.as_py()
    if hasattr(v, "tolist"): return v.tolist()
    raise TypeError(f"cannot encode {type(v).__name__} as JSON")
def emit(value):
    with _os.fdopen(3, "w") as out:
        _json.dump(value, out, default=_default)
`;

/**
 * Runs `pythonCode` with `INPUT` bound to `input` (JSON) and returns what it passes to `emit(value)`,
 * parsed as JSON. Throws when the script fails or never calls emit.
 */
export async function runDeltaRsJson<T>(pythonCode: string, input?: unknown, opts: RunDeltaRsOptions = {}): Promise<T> {
  const code = `${JSON_PRELUDE}\n${dedent(pythonCode)}`;
  const { result, stdout } = await runPython(code, [], { ...opts, stdin: JSON.stringify(input ?? null) }, true);
  if (result === '') throw new Error(`delta-rs script did not call emit(value); stdout:\n${stdout.trim()}`);
  return JSON.parse(result) as T;
}
