#!/usr/bin/env node
// Builds one library package (run from its directory: `node ../../tools/build-package.mjs`):
//   1. tsc -p tsconfig.build.json: src/ -> dist/ (ESM .js, .d.ts, source maps, declaration maps)
//   2. completes every relative import specifier in dist/ to the file it names
//      ('./dsl/index' -> './dsl/index.js'), in .js and .d.ts alike.
//
// Why step 2: the sources use extensionless relative imports (moduleResolution "Bundler",
// run by tsx and vitest in the monorepo); plain Node ESM and TypeScript's "NodeNext"
// resolution need the full file name. tsc does not rewrite extensionless specifiers, so this
// script does, and it only rewrites a specifier to a file that exists in dist/: an import it
// cannot resolve fails the build instead of shipping a broken package.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

const pkgDir = process.cwd();
const dist = join(pkgDir, 'dist');
const require = createRequire(import.meta.url);

rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
  cwd: pkgDir,
  stdio: 'inherit',
});

/** from '…', import '…', import('…'), export … from '…' with a relative specifier. */
const specifier = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.\.?(?:\/[^'"]*)?)\2/g;

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

function complete(file, spec, ext) {
  if (/\.(m?js|json|node)$/.test(spec)) return spec;
  const base = resolve(dirname(file), spec);
  for (const candidate of [`${base}${ext}`, join(base, `index${ext}`)]) {
    if (existsSync(candidate)) {
      const rel = relative(dirname(file), candidate).replace(/\\/g, '/');
      const withExt = rel.startsWith('.') ? rel : `./${rel}`;
      return ext === '.d.ts' ? withExt.replace(/\.d\.ts$/, '.js') : withExt;
    }
  }
  throw new Error(`build: ${relative(pkgDir, file)} imports '${spec}', which is no file in dist/`);
}

let rewritten = 0;
for (const file of files(dist)) {
  const ext = file.endsWith('.d.ts') ? '.d.ts' : file.endsWith('.js') ? '.js' : null;
  if (!ext) continue;
  const text = readFileSync(file, 'utf8');
  const next = text.replace(specifier, (_all, head, quote, spec) => {
    const done = complete(file, spec, ext);
    if (done !== spec) rewritten += 1;
    return `${head}${quote}${done}${quote}`;
  });
  if (next !== text) writeFileSync(file, next);
}
console.log(
  `build: ${relative(process.cwd(), dist) || 'dist'} written, ${rewritten} import specifiers completed`,
);
