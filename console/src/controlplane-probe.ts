/**
 * The console's readiness: it is ready while the controlplane's AdminService answers. A probe
 * asks for the cluster status without loads every `intervalMs` and tells the outcome, which
 * /readyz then reports, naming the error while the controlplane does not answer.
 */
import type { Readiness } from '../../lib/metrics/metrics-server.js';
import type { AdminClient } from './api/admin-client.js';

export interface ControlplaneProbeOptions {
  readonly admin: AdminClient;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Told the outcome of every probe: true, or why the console is not ready. */
  readonly onResult: (state: Readiness) => void;
}

export interface ControlplaneProbe {
  stop(): void;
}

export function probeControlplane(options: ControlplaneProbeOptions): ControlplaneProbe {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const probe = async (): Promise<void> => {
    let state: Readiness;
    try {
      await options.admin.getClusterStatus({ skipLoad: true }, { timeoutMs: options.timeoutMs });
      state = true;
    } catch (e) {
      state = `the controlplane does not answer: ${e instanceof Error ? e.message : String(e)}`;
    }
    options.onResult(state);
    if (!stopped) timer = setTimeout(() => void probe(), options.intervalMs);
  };
  void probe();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
