import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { ensureDebianPackage } from './debian-package';

const run = promisify(execFile);

/** Debian's headless Chromium (or a full Chromium or Chrome), installed when this run may. */
export function ensureHeadlessChromium(): Promise<string> {
  return ensureDebianPackage(
    [
      // the browser itself first: /usr/bin's is a shell wrapper that a timeout's kill would leave it behind
      '/usr/lib/chromium/chromium-headless-shell',
      '/usr/bin/chromium-headless-shell',
      '/usr/bin/chromium',
      '/usr/bin/google-chrome',
    ],
    ['chromium-headless-shell'],
  );
}

/**
 * Opens an HTML file in headless Chromium, lets its scripts run, and returns the document
 * as the browser left it: what a reader's browser would show, attributes set by scripts
 * included.
 */
export async function renderedDom(htmlPath: string, options: { timeoutMs?: number } = {}): Promise<string> {
  const chromium = await ensureHeadlessChromium();
  const profile = mkdtempSync(join(tmpdir(), 'streamtune-chromium-'));
  try {
    const { stdout } = await run(
      chromium,
      [
        '--headless',
        // root in a container has no user namespace for the sandbox
        '--no-sandbox',
        '--disable-gpu',
        `--user-data-dir=${profile}`,
        '--virtual-time-budget=10000',
        '--dump-dom',
        pathToFileURL(htmlPath).href,
      ],
      { timeout: options.timeoutMs ?? 60_000, maxBuffer: 256 << 20 },
    );
    return stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
