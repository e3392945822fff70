/** What a started service gives the CLI: a line to print and a way to stop. */
export interface RunningService {
  readonly description: string;
  stop(): Promise<void>;
}
