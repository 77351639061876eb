import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The first of `binaries` that exists; when none does, installs `packages` with apt-get if
 * this run may (root on Debian) and says so, otherwise fails with the command to run.
 */
export async function ensureDebianPackage(
  binaries: readonly string[],
  packages: readonly string[],
): Promise<string> {
  const found = () => binaries.find((b) => existsSync(b));
  const present = found();
  if (present) return present;
  const install = `apt-get install -y ${packages.join(' ')}`;
  if (process.getuid?.() !== 0 || !existsSync('/etc/debian_version'))
    throw new Error(`testkit: ${binaries[0]} is not installed; install it with: sudo ${install}`);
  console.log(`[testkit] ${binaries[0]} is missing; installing Debian's package(s): ${install}`);
  await run('sh', ['-c', `apt-get update -qq && DEBIAN_FRONTEND=noninteractive ${install} -qq`], {
    maxBuffer: 64 << 20,
  });
  const installed = found();
  if (!installed) throw new Error(`testkit: ${install} did not install any of ${binaries.join(', ')}`);
  return installed;
}
