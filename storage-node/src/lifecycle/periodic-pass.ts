/**
 * Runs an async pass every `intervalMs`, one at a time (a pass still running when the next
 * tick comes is not overlapped), logging a failed pass and trying again at the next tick.
 */
import type { Logger } from '../../../lib/log/logger.js';

export class PeriodicPass {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly what: string,
    private readonly intervalMs: number,
    private readonly pass: () => Promise<unknown>,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.pass()
        .then(() => undefined)
        .catch((err: unknown) => {
          this.log.warn({ err }, `${this.what} failed; retrying at the next interval`);
        })
        .finally(() => {
          this.running = undefined;
        });
    }, this.intervalMs);
  }

  /** Stops the ticks and waits for a pass in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
