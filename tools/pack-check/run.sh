#!/usr/bin/env bash
# The packages as a user gets them: build, `npm pack` every library package, install the
# tarballs into a throwaway project outside the repository (third-party dependencies from the
# npm registry), then
#   1. import every entry point with plain `node` (no tsx, no sources),
#   2. run consumer/main.mjs: a windowed join through the TopologyTestDriver and /metrics
#      served by @streamtune/metrics,
#   3. type-check consumer/consumer.ts against the packed .d.ts (NodeNext resolution).
#
#   PACK_CHECK_NODES="node /path/to/node24"  the node binaries that run steps 1 and 2, each in
#                        turn (default: node on PATH)
#   PACK_CHECK_NO_BUILD=1  skip `npm run build` (the dist/ folders are already fresh)
#   PACK_CHECK_KEEP=1    keep the throwaway project and print where it is
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/tools/pack-check"
read -r -a nodes <<<"${PACK_CHECK_NODES:-node}"
packages=(kafkajs-read-committed streams metrics perf testkit reference-model pipeline-service dashboards)
entries=(@streamtune/kafkajs-read-committed @streamtune/streams @streamtune/streams/testing @streamtune/metrics @streamtune/perf
  @streamtune/testkit @streamtune/testkit/global-setup @streamtune/reference-model
  @streamtune/pipeline-service @streamtune/dashboards)

work="$(mktemp -d "${TMPDIR:-/tmp}/streamtune-pack-check-XXXXXX")"
case "$work/" in "$root"/*) echo "pack-check: $work is inside the repository" >&2; exit 1 ;; esac
if [ -n "${PACK_CHECK_KEEP:-}" ]; then echo "pack-check: keeping $work"; else trap 'rm -rf "$work"' EXIT; fi

if [ -z "${PACK_CHECK_NO_BUILD:-}" ]; then (cd "$root" && npm run build --silent >/dev/null); fi

mkdir -p "$work/tarballs" "$work/app"
for p in "${packages[@]}"; do
  tarball="$(cd "$root/packages/$p" && npm pack --silent --pack-destination "$work/tarballs" | tail -1)"
  listing="$(tar -tzf "$work/tarballs/$tarball")"
  for must in package/package.json package/README.md package/LICENSE package/dist/index.js \
    package/dist/index.d.ts package/dist/index.js.map; do
    grep -qx "$must" <<<"$listing" || { echo "pack-check: $tarball lacks ${must#package/}" >&2; exit 1; }
  done
  if grep -E '\.test\.|/test/' <<<"$listing" >/dev/null; then
    echo "pack-check: $tarball ships tests:" >&2; grep -E '\.test\.|/test/' <<<"$listing" >&2; exit 1
  fi
  echo "pack-check: $tarball ($(wc -l <<<"$listing") files)"
done

cd "$work/app"
cat >package.json <<'JSON'
{ "name": "pack-check-consumer", "version": "0.0.0", "private": true, "type": "module" }
JSON
ts_version="$(node -p "require('$root/node_modules/typescript/package.json').version")"
# optional dependencies (testcontainers, for a Docker broker) are left out: nothing here needs them
npm install --silent --no-audit --no-fund --omit=optional "$work"/tarballs/*.tgz \
  "typescript@$ts_version" "@types/node@^20.19.0" >/dev/null
# every @streamtune package came from a tarball, none from the registry
node -e '
  const lock = require("./package-lock.json");
  const ours = Object.entries(lock.packages).filter(([path]) => /node_modules\/@streamtune\//.test(path));
  const bad = ours.filter(([path, p]) => !/^node_modules\/@streamtune\/[^/]+$/.test(path) || !String(p.resolved).startsWith("file:"));
  if (bad.length) { console.error("pack-check: not from the tarballs:", bad.map(([p]) => p)); process.exit(1); }
  console.log(`pack-check: installed ${ours.length} packages from tarballs`);
'
cp "$here/consumer/main.mjs" "$here/consumer/consumer.ts" "$here/consumer/tsconfig.json" .

for node_bin in "${nodes[@]}"; do
  for entry in "${entries[@]}"; do
    "$node_bin" --input-type=module -e "await import('$entry')" \
      || { echo "pack-check: plain node $("$node_bin" --version) cannot import $entry" >&2; exit 1; }
  done
  echo "pack-check: node $("$node_bin" --version) imports all ${#entries[@]} entry points"
  "$node_bin" main.mjs
done
npx tsc -p tsconfig.json
echo "pack-check: consumer.ts type-checks against the packed .d.ts (TypeScript $ts_version, NodeNext)"
