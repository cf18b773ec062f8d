import { readFileSync, readdirSync } from 'node:fs';
const dir = process.argv[2]; const target = process.argv[3];
const file = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort()[0];
const p = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n])); const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const dt = new Map(); for (let i = 0; i < p.samples.length; i++) dt.set(p.samples[i], (dt.get(p.samples[i]) ?? 0) + p.timeDeltas[i]);
const stacks = new Map();
for (const [id, t] of dt) { const n = byId.get(id); if (n.callFrame.functionName !== target) continue; const st = []; let cur = parent.get(id); for (let d = 0; d < Number(process.argv[4] ?? 8) && cur !== undefined; d++) { const c = byId.get(cur).callFrame; st.push(`${c.functionName}@${c.url.replace(/^.*node_modules\//, '').replace(/^.*\//,'')}:${c.lineNumber}`); cur = parent.get(cur); } const k = st.join(' < '); stacks.set(k, (stacks.get(k) ?? 0) + t); }
for (const [k, v] of [...stacks].sort((a, b) => b[1] - a[1]).slice(0, 6)) console.log((v / 1000).toFixed(0), 'ms', k);
