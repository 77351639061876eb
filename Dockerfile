# One image for every app of the reference pipeline (services, load generator, verifier).
# The app is chosen at run time: APP=checkout|fulfillment|marketing|loadgen|verifier.

FROM node:20-bookworm-slim AS deps
WORKDIR /app
# classic-level ships prebuilt binaries for linux-x64/arm64; the toolchain is only a fallback
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY packages/streams/package.json packages/streams/
COPY packages/metrics/package.json packages/metrics/
COPY packages/perf/package.json packages/perf/
COPY packages/reference-model/package.json packages/reference-model/
COPY packages/testkit/package.json packages/testkit/
COPY packages/dashboards-check/package.json packages/dashboards-check/
COPY packages/conformance/package.json packages/conformance/
COPY packages/pipeline-service/package.json packages/pipeline-service/
COPY apps/checkout/package.json apps/checkout/
COPY apps/fulfillment/package.json apps/fulfillment/
COPY apps/marketing/package.json apps/marketing/
COPY apps/loadgen/package.json apps/loadgen/
COPY apps/verifier/package.json apps/verifier/
COPY apps/demo/package.json apps/demo/
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY packages ./packages
COPY apps ./apps
# compose mounts volumes here (state stores, the load generator's manifest); a new named
# volume takes the owner of the directory in the image, so the non-root user can write them
RUN mkdir -p /state /manifest && chown node:node /state /manifest
USER node
ENV APP=checkout
# tsx runs the TypeScript sources directly: the packages export their sources (docs/architecture.md)
CMD ["sh", "-c", "exec node --import tsx apps/$APP/src/main.ts"]
