import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Kafka Streams' file name for a task's checkpoint. */
export const CHECKPOINT_FILE = '.checkpoint';

/**
 * A task's checkpoint: per store, the offset of the last changelog record its local
 * state includes. Read and deleted when the task opens (so a crash before the next
 * checkpoint forces a restore), written after commits and on clean close.
 */
export class CheckpointFile {
  private readonly path: string;

  constructor(taskDir: string) {
    this.path = join(taskDir, CHECKPOINT_FILE);
  }

  /** The offsets, or an empty map when there is no (readable) checkpoint. */
  async read(): Promise<Map<string, string>> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch {
      return new Map();
    }
    try {
      const parsed = JSON.parse(text) as { version?: number; offsets?: Record<string, unknown> };
      if (parsed.version !== 1 || typeof parsed.offsets !== 'object' || parsed.offsets === null)
        return new Map();
      return new Map(
        Object.entries(parsed.offsets).filter((e): e is [string, string] => /^\d+$/.test(String(e[1]))),
      );
    } catch {
      // a torn or foreign file: trust nothing, restore from the changelog
      return new Map();
    }
  }

  /** Write-then-rename, so a crash leaves the old file or the new one, never half of one. */
  async write(offsets: ReadonlyMap<string, string>): Promise<void> {
    const tmp = `${this.path}.tmp`;
    await writeFile(tmp, JSON.stringify({ version: 1, offsets: Object.fromEntries(offsets) }));
    await rename(tmp, this.path);
  }

  async delete(): Promise<void> {
    await rm(this.path, { force: true });
  }
}
