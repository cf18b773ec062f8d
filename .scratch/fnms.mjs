// usage: fnms.mjs dir requests regex  -> inclusive ms per 1000 requests for functions matching regex (sync stacks)
import { readFileSync, readdirSync } from 'node:fs';
const [dir, reqs, re] = process.argv.slice(2);
const file = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort()[0];
const p = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n])); const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const dt = new Map(); for (let i = 0; i < p.samples.length; i++) dt.set(p.samples[i], (dt.get(p.samples[i]) ?? 0) + p.timeDeltas[i]);
const incl = new Map(); const rx = new RegExp(re); let total = 0;
for (const [id, t] of dt) { total += t; const seen = new Set(); let cur = id; while (cur !== undefined) { const c = byId.get(cur).callFrame; const k = `${c.functionName || '(anon)'} ${c.url.replace(/^.*node_modules\//, '').replace(/^.*\/(src|\.scratch)\//, '$1/')}:${c.lineNumber}`; if (rx.test(k) && !seen.has(k)) { seen.add(k); incl.set(k, (incl.get(k) ?? 0) + t); } cur = parent.get(cur); } }
console.log('total us/req', (total / reqs).toFixed(0));
for (const [k, v] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log((v / reqs).toFixed(1).padStart(7), 'us/req', k);
