/**
 * CPU time (user + system) of processes, from /proc/<pid>/stat, to see which process a phase
 * kept busy: on a 2-core machine a process near 1 CPU second per second is a bottleneck.
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

export interface NamedPid {
  readonly name: string;
  readonly pid: number;
}

/** Seconds of CPU the process has used so far, or 0 when it is gone. */
export function cpuSeconds(pid: number): number {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0;
  }
  // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

export function cpuSnapshot(pids: readonly NamedPid[]): Map<string, number> {
  return new Map(pids.map(({ name, pid }) => [name, cpuSeconds(pid)]));
}

/** CPU seconds per name between two snapshots. */
export function cpuUsed(
  after: ReadonlyMap<string, number>,
  before: ReadonlyMap<string, number>,
): Map<string, number> {
  return new Map([...after].map(([name, s]) => [name, s - (before.get(name) ?? 0)]));
}
