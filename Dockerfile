# Tandem: one image for every process of a deployment; the command picks the part.
#   docker run tandem worker | cdc | ingress | sandbox salesforce --port 4001 --host 0.0.0.0 --data /data/salesforce.json
# Two stages: the build stage compiles the TypeScript to dist/ and prebuilds the workflow bundle (npm run build);
# the runtime stage holds production dependencies and dist/ only, so no TypeScript tooling runs in production.
# Node 22 is an active LTS line (Node 20 reached its end of life in April 2026); the tests pass on it too.
FROM node:22-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY scripts ./scripts
COPY cli ./cli
COPY common ./common
COPY demo ./demo
COPY ingress ./ingress
COPY workers ./workers
COPY workflows ./workflows
COPY activities ./activities
COPY mappings ./mappings
COPY sandbox ./sandbox
RUN npm run build

FROM node:22-slim
ENV NODE_ENV=production TANDEM_RUN_FROM=dist
# What bounds a sync worker's memory at any number of projects (workers/workflow-memory.ts, bench/README.md):
# one malloc arena instead of one per native thread, and an old-space limit that makes V8 collect garbage early.
ENV MALLOC_ARENA_MAX=1 NODE_OPTIONS="--max-old-space-size=128 --max-semi-space-size=2"
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only: no tsx, TypeScript or webpack at run time.
RUN npm ci --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY --from=build /app/dist ./dist

RUN mkdir -p /data && chown -R node:node /data
USER node

# Containers reach each other by service name: listen on every interface. The ingress then refuses to start without
# TANDEM_API_TOKEN. No secret is baked in: every one comes from the container's environment at run time.
ENV INGRESS_HOST=0.0.0.0
EXPOSE 3000

ENTRYPOINT ["node", "bin/tandem.js"]
CMD ["worker"]
