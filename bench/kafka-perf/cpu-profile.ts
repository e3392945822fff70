/**
 * Reads a V8 CPU profile (`node --cpu-prof`) and sums where the time went: self time per
 * function and per source (a project file, an npm package, Node's internals), and
 * inclusive time per function (the time with everything it called).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface TimeShare {
  readonly name: string;
  readonly ms: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  /** Sampled time not in (idle), (program) or (garbage collector). */
  readonly busyMs: number;
  readonly gcMs: number;
  readonly selfByFunction: readonly TimeShare[];
  readonly selfBySource: readonly TimeShare[];
  readonly inclusiveByFunction: readonly TimeShare[];
}

/** `node_modules/@aws-sdk/client-s3/...` → `@aws-sdk/client-s3`; a project file → its path. */
export function sourceOf(url: string, root: string): string {
  if (url === '') return '(native)';
  if (url.startsWith('node:')) return 'node:internal';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = path.slice(nm + '/node_modules/'.length).split('/');
    return parts[0]?.startsWith('@') === true ? `${parts[0]}/${parts[1]}` : (parts[0] ?? path);
  }
  return path.startsWith(root) ? path.slice(root.length + 1) : path;
}

function label(node: ProfileNode, root: string): string {
  const f = node.callFrame;
  const name = f.functionName === '' ? '(anonymous)' : f.functionName;
  if (f.url === '') return name;
  return `${name} ${sourceOf(f.url, root)}:${f.lineNumber + 1}`;
}

function sorted(m: Map<string, number>, limit: number): TimeShare[] {
  return [...m]
    .map(([name, us]) => ({ name, ms: us / 1000 }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, limit);
}

const NOT_BUSY = new Set(['(idle)', '(program)', '(garbage collector)']);

export function summarizeProfile(file: string, root: string, limit = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const selfByFunction = new Map<string, number>();
  const selfBySource = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let totalUs = 0;
  let busyUs = 0;
  let gcUs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (node === undefined) continue;
    totalUs += us;
    const name = node.callFrame.functionName;
    if (name === '(garbage collector)') gcUs += us;
    if (NOT_BUSY.has(name)) continue;
    busyUs += us;
    const fn = label(node, root);
    selfByFunction.set(fn, (selfByFunction.get(fn) ?? 0) + us);
    const source = sourceOf(node.callFrame.url, root);
    selfBySource.set(source, (selfBySource.get(source) ?? 0) + us);
    // Each function on the stack once (recursion counts once).
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const n = byId.get(at);
      if (n === undefined || n.callFrame.functionName === '(root)') break;
      const l = label(n, root);
      if (seen.has(l)) continue;
      seen.add(l);
      inclusive.set(l, (inclusive.get(l) ?? 0) + us);
    }
  }
  return {
    totalMs: totalUs / 1000,
    busyMs: busyUs / 1000,
    gcMs: gcUs / 1000,
    selfByFunction: sorted(selfByFunction, limit),
    selfBySource: sorted(selfBySource, limit),
    inclusiveByFunction: sorted(inclusive, limit),
  };
}

export function formatSummary(title: string, s: ProfileSummary): string {
  const pct = (ms: number): string => `${((100 * ms) / Math.max(s.busyMs, 1)).toFixed(1)}%`;
  const table = (heading: string, rows: readonly TimeShare[]): string =>
    [
      `  ${heading}`,
      ...rows.map(
        (r) => `    ${r.ms.toFixed(0).padStart(8)} ms ${pct(r.ms).padStart(6)}  ${r.name}`,
      ),
    ].join('\n');
  return [
    `${title}: ${(s.totalMs / 1000).toFixed(1)} s sampled, ${(s.busyMs / 1000).toFixed(1)} s busy in JavaScript and native calls, ${(s.gcMs / 1000).toFixed(1)} s GC`,
    table('self time by source', s.selfBySource),
    table('self time by function', s.selfByFunction),
    table('inclusive time by function', s.inclusiveByFunction),
  ].join('\n');
}
