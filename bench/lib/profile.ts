// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by module (a package under
// node_modules, a folder of src/, node's own internals, GC, idle) and the top functions by
// self time. Usage: node --import tsx bench/lib/profile.ts file.cpuprofile [top=25]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface Node {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

/** "bullmq", "ioredis", "src/cluster", "node:internal", "(garbage collector)", … */
export function moduleOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const src = /\/(src|bench|test|commands)\/(?:([^/]+)\/)?(?:[^/]+\/)*[^/]+$/.exec(url);
  if (src) return src[2] ? `${src[1]}/${src[2]}` : src[1]!;
  if (url.startsWith('node:')) return 'node:internal';
  return url;
}

export function summarise(file: string, top = 25): { totalMs: number; modules: [string, number][]; callers: [string, number][]; functions: [string, number][] } {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  /** A native frame (a socket write, string encoding) charged to the JS module that called it. */
  const caller = (id: number): string => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)!.callFrame;
      const m = moduleOf(f.url, f.functionName);
      if (m !== '(native)' && m !== 'node:internal') return m;
    }
    return '(native)';
  };
  const callers = new Map<string, number>();
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000));
  const modules = new Map<string, number>();
  const functions = new Map<string, number>();
  let totalMs = 0;
  for (const [id, ms] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    totalMs += ms;
    const mod = moduleOf(url, functionName);
    modules.set(mod, (modules.get(mod) ?? 0) + ms);
    const c = mod === '(native)' || mod === 'node:internal' ? caller(id) : mod;
    callers.set(c, (callers.get(c) ?? 0) + ms);
    const file = url.slice(url.lastIndexOf('/') + 1);
    const key = `${functionName || '(anonymous)'} ${mod}${url ? ` ${file}:${lineNumber + 1}` : ''}`;
    functions.set(key, (functions.get(key) ?? 0) + ms);
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return { totalMs, modules: sorted(modules), callers: sorted(callers), functions: sorted(functions).slice(0, top) };
}

export function printSummary(label: string, file: string, top = 25): void {
  const s = summarise(file, top);
  const busy = s.totalMs - (s.modules.find(([m]) => m === '(idle)')?.[1] ?? 0);
  const line = ([name, ms]: [string, number]) => `    ${(ms / 1000).toFixed(2).padStart(7)} s  ${((100 * ms) / busy).toFixed(1).padStart(5)} %  ${name}`;
  console.log(`\n${label}: ${(busy / 1000).toFixed(1)} s busy of ${(s.totalMs / 1000).toFixed(1)} s profiled (${file})`);
  console.log('  self time by module (share of busy time):');
  for (const m of s.modules.filter(([n]) => n !== '(idle)').slice(0, 15)) console.log(line(m));
  console.log('  the same, with native code and node internals charged to the module that called them:');
  for (const m of s.callers.filter(([n]) => n !== '(idle)').slice(0, 15)) console.log(line(m));
  console.log('  top functions by self time:');
  for (const f of s.functions.filter(([n]) => !n.startsWith('(idle)'))) console.log(line(f));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const f of process.argv.slice(2).filter((a) => a.endsWith('.cpuprofile'))) printSummary('profile', f, Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 25));
}
