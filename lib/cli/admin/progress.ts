/**
 * Progress of a long admin operation (a drain, an offset reset) on stderr: one line
 * rewritten in place on a terminal, one line per change otherwise (logs, pipes).
 */

export interface ProgressSink {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

export class Progress {
  private last = '';

  constructor(
    private readonly sink: ProgressSink,
    private readonly label: string,
  ) {}

  update(done: number, total: number, detail = ''): void {
    const width = 24;
    const filled = total <= 0 ? width : Math.round((done / total) * width);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
    const text = `${this.label} ${bar} ${done}/${total}${detail === '' ? '' : ` ${detail}`}`;
    if (text === this.last) return;
    this.last = text;
    this.sink.write(this.sink.isTTY === true ? `\r${text}` : `${text}\n`);
  }

  end(): void {
    if (this.sink.isTTY === true && this.last !== '') this.sink.write('\n');
  }
}
