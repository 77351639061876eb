# One image for every app of the reference pipeline (services, load generator, verifier).
# The app is chosen at run time: APP=checkout|fulfillment|marketing|loadgen|verifier.
# It runs the built JavaScript (packages/*/dist, apps/*/dist) on Node.js 24, not tsx.

FROM node:24-bookworm-slim AS build
WORKDIR /app
# classic-level ships prebuilt binaries for linux-x64/arm64; the toolchain is only a fallback
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY packages/kafkajs-read-committed/package.json packages/kafkajs-read-committed/
COPY packages/streams/package.json packages/streams/
COPY packages/metrics/package.json packages/metrics/
COPY packages/perf/package.json packages/perf/
COPY packages/reference-model/package.json packages/reference-model/
COPY packages/testkit/package.json packages/testkit/
COPY packages/dashboards/package.json packages/dashboards/
COPY packages/conformance/package.json packages/conformance/
COPY packages/pipeline-service/package.json packages/pipeline-service/
COPY packages/cli-kit/package.json packages/cli-kit/
COPY apps/checkout/package.json apps/checkout/
COPY apps/fulfillment/package.json apps/fulfillment/
COPY apps/marketing/package.json apps/marketing/
COPY apps/loadgen/package.json apps/loadgen/
COPY apps/verifier/package.json apps/verifier/
COPY apps/demo/package.json apps/demo/
RUN npm ci --omit=optional --no-audit --no-fund
COPY tsconfig.base.json turbo.json ./
COPY tools ./tools
COPY packages ./packages
COPY apps ./apps
# the packages and the five apps the image runs, to dist/ (tsc; see tools/build-package.mjs)
RUN npm run build
# production dependencies only, for the runtime stage
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/package.json ./
COPY --from=build /app/packages ./packages
COPY --from=build /app/apps ./apps
# compose mounts volumes here (state stores, the load generator's manifest); a new named
# volume takes the owner of the directory in the image, so the non-root user can write them
RUN mkdir -p /state /manifest && chown node:node /state /manifest
USER node
ENV APP=checkout
CMD ["sh", "-c", "exec node apps/$APP/dist/main.js"]
