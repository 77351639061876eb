import { open, stat } from 'node:fs/promises';
import { readManifest, type Manifest, type ManifestHeader } from '@streamtune/reference-model';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for the manifest's header line: the verifier may start before the load generator. */
export async function waitForHeader(path: string, timeoutMs: number): Promise<ManifestHeader> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const first = await readFirstLine(path);
    if (first) {
      const parsed = JSON.parse(first) as ManifestHeader;
      if (parsed.kind !== 'header') throw new Error(`${path} does not start with a manifest header`);
      return parsed;
    }
    if (Date.now() > deadline)
      throw new Error(`no manifest at ${path} after ${timeoutMs} ms; is the load generator running?`);
    await sleep(250);
  }
}

async function readFirstLine(path: string): Promise<string | undefined> {
  try {
    const file = await open(path, 'r');
    try {
      const buf = Buffer.alloc(64 * 1024);
      const { bytesRead } = await file.read(buf, 0, buf.length, 0);
      const text = buf.subarray(0, bytesRead).toString();
      const nl = text.indexOf('\n');
      return nl > 0 ? text.slice(0, nl) : undefined;
    } finally {
      await file.close();
    }
  } catch {
    return undefined;
  }
}

/** The whole manifest once the generator has written its summary line, else undefined. */
export async function readIfFinished(path: string): Promise<Manifest | undefined> {
  const { size } = await stat(path);
  const file = await open(path, 'r');
  let tail: string;
  try {
    const length = Math.min(size, 8 * 1024);
    const buf = Buffer.alloc(length);
    await file.read(buf, 0, length, size - length);
    tail = buf.toString();
  } finally {
    await file.close();
  }
  if (!tail.includes('"kind":"summary"')) return undefined;
  return readManifest(path);
}
