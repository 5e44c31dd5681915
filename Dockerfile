# Tandem: one image for every process of a deployment; the command picks the part.
#   docker run tandem worker | cdc | ingress | sandbox salesforce --port 4001 --host 0.0.0.0 --data /data/salesforce.json
# TypeScript runs through tsx (a dependency), so there is no build step; the workflow bundle is built on first
# start of a worker and cached under .tools/bundles.
FROM node:20-slim

ENV NODE_ENV=production
WORKDIR /app

COPY package.json package-lock.json ./
# --omit=dev: tsx, the Temporal SDK and everything at run time are production dependencies; no install scripts
# beyond those package.json allows.
RUN npm ci --omit=dev --no-audit --no-fund

COPY bin ./bin
COPY cli ./cli
COPY common ./common
COPY ingress ./ingress
COPY workers ./workers
COPY workflows ./workflows
COPY activities ./activities
COPY mappings ./mappings
COPY sandbox ./sandbox
COPY scripts ./scripts
COPY tsconfig.json ./

# The bundle cache must be writable by the unprivileged user.
RUN mkdir -p /app/.tools /data && chown -R node:node /app/.tools /data
USER node

# Containers reach each other by service name: listen on every interface.
ENV INGRESS_HOST=0.0.0.0
EXPOSE 3000

ENTRYPOINT ["node", "bin/tandem.js"]
CMD ["worker"]
