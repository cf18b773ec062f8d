/**
 * Child process of subscriptions.bench.ts: opens `subs` logEvents subscriptions with graphql-ws clients over
 * `sockets` websockets and records, per received event, produce -> receive latency (now - event timestamp) in a
 * 1 ms histogram. On SIGINT (or stdin 'stop') prints one JSON line: counts per subscriber, drops, histogram.
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, subsText, socketsText] = process.argv.slice(2);
const subs = Number(subsText);
const sockets = Math.min(Number(socketsText), subs);
const MAX_MS = 60_000;
const histogram = new Uint32Array(MAX_MS + 1);
const counts = new Array<number>(subs).fill(0);
let slow = 0;
let otherErrors = 0;
const clients = Array.from({ length: sockets }, () =>
  createClient({ url: url!, webSocketImpl: WebSocket, lazy: false, retryAttempts: 0 }),
);
for (let i = 0; i < subs; i++) {
  clients[i % sockets]!.subscribe<{ logEvents: { timestamp: string } }>(
    { query: 'subscription { logEvents { timestamp } }' },
    {
      next: (r) => {
        if (r.errors) {
          if (r.errors.some((e) => e.extensions?.code === 'SLOW_CONSUMER')) slow++;
          else otherErrors++;
          return;
        }
        const ms = Date.now() - Date.parse(r.data!.logEvents.timestamp);
        histogram[Math.max(0, Math.min(MAX_MS, ms))]!++;
        counts[i]!++;
      },
      error: () => void otherErrors++,
      complete: () => undefined,
    },
  );
}

function finish(): void {
  const sparse: Array<[number, number]> = [];
  histogram.forEach((n, ms) => n > 0 && sparse.push([ms, n]));
  process.stdout.write(JSON.stringify({ counts, slow, otherErrors, histogram: sparse }) + '\n');
  for (const c of clients) void c.dispose();
  setTimeout(() => process.exit(0), 200);
}
process.once('SIGINT', finish);
process.stdin.on('data', (d) => d.toString().includes('stop') && finish());
process.stdout.write('ready\n');
