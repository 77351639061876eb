/**
 * buffer.memory accounting: bytes of records accepted and not yet acknowledged (or
 * failed). Java reserves whole batch.size buffers per batch; we count estimated record
 * bytes, so the same limit holds somewhat more records when batches are partly full.
 * Pure: the producer decides what to do when a reservation does not fit (wait, never drop).
 */
export class BufferMemory {
  private usedBytes = 0;

  constructor(readonly limitBytes: number) {}

  get used(): number {
    return this.usedBytes;
  }

  /** A record that could never fit would wait forever; the producer rejects it up front. */
  canEverFit(bytes: number): boolean {
    return bytes <= this.limitBytes;
  }

  /** Reserves the bytes if they fit under the limit; false means the caller must wait for a release. */
  tryReserve(bytes: number): boolean {
    if (this.usedBytes + bytes > this.limitBytes) return false;
    this.usedBytes += bytes;
    return true;
  }

  release(bytes: number): void {
    if (bytes > this.usedBytes) {
      throw new Error(`BufferMemory: releasing ${bytes} bytes but only ${this.usedBytes} are reserved`);
    }
    this.usedBytes -= bytes;
  }
}
