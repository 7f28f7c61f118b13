# syntax=docker/dockerfile:1
# The Access Reviews bot as a container: compiled JavaScript (npm run build → dist/), production dependencies
# only, run as the unprivileged `node` user. The same process as `npm run serve`: no tsx at run time.
#
#   docker build -t access-review-bot .
#   docker run -p 3978:3978 --env-file .env.production access-review-bot
#
# Configuration comes from the environment (bot/config.ts; .env.sample lists every key). Without
# STORAGE_CONNECTION_STRING the state is SQLite under /data: mount a volume there (one replica only).

FROM node:22-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary can be downloaded.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# The local stand-in package `spdy` (package.json overrides) is a file: dependency.
COPY vendor ./vendor
# Dev dependencies too: typescript for the build, rimraf for botbuilder-dialogs' install script.
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bot ./bot
COPY cards ./cards
COPY reviews ./reviews
COPY dev ./dev
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:22-bookworm-slim AS runtime
# 192 MB of old space: the heap cap of `npm run serve` (dev/botRuntime.ts), so the container stays near 190 MB.
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-old-space-size=192 \
    PORT=3978 \
    LOCAL_DATA_DIR=/data
WORKDIR /app
# Owned by root, read-only for the bot; only /data is writable by it.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# node_modules/spdy is a link to this local package (a file: dependency): without it restify cannot load.
COPY --from=build /app/vendor ./vendor
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3978
# Liveness only: a dependency being down is readiness (/healthz/ready), and restarting would not fix it.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3978)+'/healthz/live').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# SIGTERM reaches node directly (exec form): the bot stops accepting, finishes and closes storage.
CMD ["node", "dist/bot/index.js"]
