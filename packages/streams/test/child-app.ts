import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startProcess, tsxEntry, type ManagedProcess } from '@streamtune/testkit';

/**
 * A fixture app (`test/fixtures/<name>.ts`) as its own process, its output echoed into the
 * test's stderr. `kill()` is the crash, `stop()` the clean close (SIGTERM).
 */
export function startFixtureApp(fixture: URL, env: Record<string, string>): ManagedProcess {
  const path = fileURLToPath(fixture);
  const name = basename(path, '.ts');
  return startProcess({
    name,
    ...tsxEntry(path),
    env,
    onOutput: (text) => process.stderr.write(`[${name}] ${text}`),
  });
}
