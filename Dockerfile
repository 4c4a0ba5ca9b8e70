# The app roles (crypto-viz produce|ingest|analytics|api|topics|migrate), run from TypeScript
# sources directly: Node 24 strips types natively, so there is no compile step to drift.
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts

# The dashboard (src/web) is the one part that is built: Vite needs the dev dependencies, which the
# runtime image does not carry, so it is built here and only its output is copied over.
FROM node:24-bookworm-slim AS web
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY scripts/build-web.ts ./scripts/build-web.ts
COPY src/web ./src/web
RUN node scripts/build-web.ts

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY src ./src
COPY --from=web /app/src/web/dist ./src/web/dist
# Replay mode's fake servers serve these (recorded Kraken session, feed documents).
COPY fixtures ./fixtures
# DATA_DIR (news seen-set, backfill checkpoints) must be writable by the unprivileged user; a named
# volume mounted here starts with this ownership.
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
ENTRYPOINT ["node", "src/cli.ts"]
CMD ["help"]
