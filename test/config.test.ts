/** Bad settings are reported together, once, by loadConfig and by the `serve` command (exit 1, no stack). */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('loadConfig', () => {
  it('throws one ConfigError listing every problem', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'abc', REDIS_URL: 'not-a-url' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(2);
    expect(problems.find((p) => p.startsWith('PORT="abc"'))).toBeDefined();
    expect(problems.find((p) => p.startsWith('REDIS_URL="not-a-url"'))).toBeDefined();
  });

  it('accepts an empty environment with the embedded defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 4000, host: '127.0.0.1', redis: undefined, kafka: undefined, lakeIsDefault: true });
    expect(Object.isFrozen(config)).toBe(true);
  });
});

describe('delta-gateway serve with a bad configuration', () => {
  it('exits 1 with one report naming both variables and no stack trace', async () => {
    const child = spawn(process.execPath, ['bin/delta-gateway.mjs', 'serve'], {
      cwd: root,
      // A minimal environment: nothing from the developer's shell leaks in.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: 'abc', REDIS_URL: 'not-a-url' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));

    expect(code).toBe(1);
    expect(output.match(/invalid configuration/g)).toHaveLength(1);
    expect(output).toMatch(/PORT="abc"/);
    expect(output).toMatch(/REDIS_URL="not-a-url"/);
    expect(output).not.toMatch(/^\s+at /m);
  }, 30_000);
});
