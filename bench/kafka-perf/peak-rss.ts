/**
 * Peak resident memory per named process: polls /proc/<pid>/status for VmHWM (the kernel's
 * own high-water mark of the resident set) and keeps the largest value seen under each name,
 * so a process restarted under the same name reports the larger of its two lives.
 */
import { readFileSync } from 'node:fs';

export class PeakRss {
  private readonly peaks = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly pids: () => readonly { name: string; pid: number }[]) {}

  /** Reads every process now (call it before stopping one: its high-water mark dies with it). */
  sample(): void {
    for (const { name, pid } of this.pids()) {
      let status: string;
      try {
        status = readFileSync(`/proc/${pid}/status`, 'utf8');
      } catch {
        continue;
      }
      const kib = Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1] ?? 0);
      this.peaks.set(name, Math.max(this.peaks.get(name) ?? 0, kib * 1024));
    }
  }

  start(intervalMs = 1000): this {
    this.timer = setInterval(() => {
      this.sample();
    }, intervalMs);
    this.timer.unref();
    return this;
  }

  stop(): ReadonlyMap<string, number> {
    clearInterval(this.timer);
    this.sample();
    return this.peaks;
  }
}
