#!/usr/bin/env node
// The delta-gateway command: loads the TypeScript CLI through tsx (no build step needed).
import { register } from 'tsx/esm/api';

// graphql-js picks its development-mode checks (a costlier instanceOf on every type test) when it loads, from
// NODE_ENV; the command runs production mode unless told otherwise (measured: about 8% more cache-hit req/s).
process.env.NODE_ENV ??= 'production';
register();
const { runCli } = await import('../src/cli.ts');
process.exitCode = await runCli(process.argv.slice(2));
