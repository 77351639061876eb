import { open, stat } from 'node:fs/promises';
import {
  readManifest,
  readManifestHeader,
  type Manifest,
  type ManifestHeader,
} from '@streamtune/reference-model';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for the manifest's header line: the verifier may start before the load generator. */
export async function waitForHeader(path: string, timeoutMs: number): Promise<ManifestHeader> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const header = await readManifestHeader(path);
    if (header) return header;
    if (Date.now() > deadline)
      throw new Error(`no manifest at ${path} after ${timeoutMs} ms; is the load generator running?`);
    await sleep(250);
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
