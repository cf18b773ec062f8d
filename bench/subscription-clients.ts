/**
 * Child process of subscriptions.bench.ts: opens `subs` subscriptions over `sockets` websockets, either
 * `logEvents { timestamp }` (one message per event) or `logEventBatches(maxWaitMs) { events { timestamp } }`, and
 * records per received event the produce -> receive latency (receive time minus the event's own timestamp, which
 * produce-demo sets when it produces) in a 1 ms histogram, and deliveries per subscriber.
 *
 * A lean client, so that the client side (which shares the machine's two cores with the gateway, the broker and
 * the producer) does not measure itself: it speaks graphql-transport-ws over `ws` directly and, instead of
 * building an object per event, scans each `next` frame for its `"timestamp":"...` values (the only field
 * selected); one clock read per frame, and the timestamp text of consecutive events (produced in the same tick)
 * parsed once. Mode `distinct` gives each subscription its own filter (nothing shared; idle memory measurement).
 * On stdin `from <epoch ms>` it stops timing events stamped earlier (they are still counted as delivered).
 * On stdin 'stop' (or SIGINT) prints one JSON line: counts per subscriber, SLOW_CONSUMER drops, other errors,
 * histogram.
 */
import WebSocket from 'ws';

const [url, subsText, socketsText, mode = 'events', waitText = '20'] = process.argv.slice(2);
const subs = Number(subsText);
const sockets = Math.min(Number(socketsText), subs);
const MAX_MS = 60_000;
const histogram = new Uint32Array(MAX_MS + 1);
const counts = new Array<number>(subs).fill(0);
let slow = 0;
let otherErrors = 0;
let lastText = '';
let lastMs = 0;
/** Events stamped before this (the warm-up, sent on stdin as `from <epoch ms>`) are counted, not timed. */
let measureFrom = 0;
const KEY = '"timestamp":"';

const queryOf = (i: number) => mode === 'batches'
  ? `subscription { logEventBatches(maxWaitMs: ${Number(waitText)}) { events { timestamp } } }`
  : mode === 'distinct'
    ? `subscription { logEvents(filter: { minResponseTime: ${i} }) { timestamp } }`
    : 'subscription { logEvents { timestamp } }';

/** Records every timestamp of a frame; returns how many events it held. */
function recordFrame(text: string, now: number): number {
  let n = 0;
  for (let at = text.indexOf(KEY); at >= 0; ) {
    const start = at + KEY.length;
    const end = text.indexOf('"', start);
    const ts = text.slice(start, end);
    at = text.indexOf(KEY, end);
    if (ts !== lastText) (lastText = ts), (lastMs = Date.parse(ts));
    if (lastMs >= measureFrom) histogram[Math.max(0, Math.min(MAX_MS, now - lastMs))]!++;
    n++;
  }
  return n;
}

const open: WebSocket[] = [];
for (let s = 0; s < sockets; s++) {
  const ws = new WebSocket(url!, 'graphql-transport-ws', { perMessageDeflate: false });
  open.push(ws);
  const mine: number[] = [];
  for (let i = s; i < subs; i += sockets) mine.push(i);
  ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init' })));
  ws.on('error', () => void otherErrors++);
  ws.on('message', (data: Buffer) => {
    const text = data.toString('utf8');
    if (text.startsWith('{"id":"') && text.includes('"type":"next"')) {
      const sub = Number(text.slice(7, text.indexOf('"', 7)));
      if (text.includes('"errors":[')) {
        if (text.includes('"SLOW_CONSUMER"')) slow++;
        else otherErrors++;
        return;
      }
      counts[sub]! += recordFrame(text, Date.now());
      return;
    }
    const msg = JSON.parse(text) as { type: string };
    if (msg.type === 'connection_ack') {
      for (const i of mine) ws.send(JSON.stringify({ id: String(i), type: 'subscribe', payload: { query: queryOf(i) } }));
    } else if (msg.type === 'ping') ws.send(JSON.stringify({ type: 'pong' }));
    else if (msg.type === 'error') otherErrors++;
  });
}

function finish(): void {
  const sparse: Array<[number, number]> = [];
  histogram.forEach((n, ms) => n > 0 && sparse.push([ms, n]));
  process.stdout.write(JSON.stringify({ counts, slow, otherErrors, histogram: sparse }) + '\n');
  for (const ws of open) ws.close(1000);
  setTimeout(() => process.exit(0), 200);
}
process.once('SIGINT', finish);
process.stdin.on('data', (d) => {
  const text = d.toString();
  const from = /from (\d+)/.exec(text);
  if (from) measureFrom = Number(from[1]);
  if (text.includes('stop')) finish();
});
process.stdout.write('ready\n');
