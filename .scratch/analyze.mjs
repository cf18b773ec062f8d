import { readFileSync, readdirSync } from 'node:fs';
const dir = process.argv[2];
const file = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort()[0];
const p = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = new Map();
const ends=[]; let tt=p.startTime; for (let i=0;i<p.samples.length;i++){ tt+=p.timeDeltas[i]; ends.push(tt);} const from = p.endTime - Number(process.env.WIN ?? 8.3) * 1e6, to = p.endTime - 0.3e6;
for (let i = 0; i < p.samples.length; i++) if (ends[i] >= from && ends[i] <= to) dt.set(p.samples[i], (dt.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
let total = 0;
const fileSelf = new Map(), fnSelf = new Map(), incl = new Map();
const short = (u) => u.replace(/^.*node_modules\//, 'nm/').replace('file:///work/main/', '');
for (const [id, t] of dt) {
  const n = byId.get(id); total += t;
  const cf = n.callFrame;
  const fk = short(cf.url) || '(' + cf.functionName + ')';
  fileSelf.set(fk, (fileSelf.get(fk) ?? 0) + t);
  const k = `${cf.functionName || '(anon)'} ${short(cf.url)}:${cf.lineNumber}`;
  fnSelf.set(k, (fnSelf.get(k) ?? 0) + t);
  // inclusive per function key (dedupe within stack)
  const seen = new Set(); let cur = id;
  while (cur !== undefined) { const c = byId.get(cur).callFrame; const kk = `${c.functionName || '(anon)'} ${short(c.url)}:${c.lineNumber}`; if (!seen.has(kk)) { seen.add(kk); incl.set(kk, (incl.get(kk) ?? 0) + t); } cur = parent.get(cur); }
}
const top = (m, n) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${(100 * v / total).toFixed(1).padStart(5)}%  ${k}`).join('\n');
console.log('total ms', (total / 1000).toFixed(0));
console.log('--- self by file'); console.log(top(fileSelf, 25));
console.log('--- self by fn'); console.log(top(fnSelf, 30));
if (process.argv[3]) { console.log('--- inclusive'); console.log(top(new Map([...incl].filter(([k]) => new RegExp(process.argv[3]).test(k))), 40)); }
