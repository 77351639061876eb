import type { Socket } from 'node:net';

/**
 * One direction of a proxied connection: every chunk read from `from` is written to `to`
 * once `delayMs` has passed since it was read. Each chunk carries its own due time, so a
 * stream of chunks arrives `delayMs` late but at the rate it was sent (a link with latency,
 * not a slow link), and chunks leave in the order they came.
 */
export class DelayQueue {
  private readonly chunks: { dueAt: number; data: Buffer | null }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private queuedBytes = 0;
  private pausedForBytes = false;

  constructor(
    private readonly from: Socket,
    private readonly to: Socket,
    private readonly delayMs: number,
    /** Bytes held before reading pauses: the link's buffer, so a stalled peer cannot fill memory. */
    private readonly maxQueuedBytes = 64 * 1024 * 1024,
  ) {
    from.on('data', (data: Buffer) => this.push(data));
    // the half-close travels with the same delay, after the data sent before it
    from.on('end', () => this.push(null));
    to.on('drain', () => this.resumeIfRoom());
  }

  private push(data: Buffer | null): void {
    this.chunks.push({ dueAt: performance.now() + this.delayMs, data });
    if (data) {
      this.queuedBytes += data.length;
      if (this.queuedBytes > this.maxQueuedBytes && !this.pausedForBytes) {
        this.pausedForBytes = true;
        this.from.pause();
      }
    }
    if (!this.timer) this.schedule();
  }

  private schedule(): void {
    const head = this.chunks[0];
    if (!head) {
      this.timer = undefined;
      return;
    }
    this.timer = setTimeout(() => this.flush(), Math.max(0, head.dueAt - performance.now()));
  }

  private flush(): void {
    const now = performance.now();
    while (this.chunks.length && (this.chunks[0]?.dueAt ?? Infinity) <= now) {
      const { data } = this.chunks.shift()!;
      if (this.to.destroyed) break;
      if (data === null) {
        this.to.end();
        continue;
      }
      this.queuedBytes -= data.length;
      this.to.write(data);
    }
    this.resumeIfRoom();
    this.schedule();
  }

  private resumeIfRoom(): void {
    if (this.pausedForBytes && this.queuedBytes <= this.maxQueuedBytes / 2 && !this.to.writableNeedDrain) {
      this.pausedForBytes = false;
      this.from.resume();
    }
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.chunks.length = 0;
  }
}
