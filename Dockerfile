# syntax=docker/dockerfile:1
# Herald container image: build on the full Debian image (python3, make and g++ for
# sqlite3's native module), run on the slim one with production dependencies only.

# ---- build: transpile TypeScript (esbuild) and compile the sqlite3 native module ----
FROM node:22-bookworm AS build
WORKDIR /app
# Build sqlite3 from source: prebuilt binaries come from GitHub, which a build may not reach,
# and a from-source build always matches this image's Node ABI and glibc.
# nodedir: use the headers shipped in the image instead of downloading them.
ENV npm_config_build_from_source=true \
    npm_config_nodedir=/usr/local
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
COPY commands ./commands
# Typechecking is the test suite's job; the image only needs the JavaScript (no source maps).
RUN npm run build && find dist -name '*.map' -delete
# Drop dev dependencies in place so the compiled sqlite3 binding is kept (a second
# `npm ci --omit=dev` would compile it again for nothing).
# Of sqlite3's ~25 MB build tree only the compiled binding is needed at run time.
RUN npm prune --omit=dev --no-audit --no-fund \
 && mv node_modules/sqlite3/build/Release/node_sqlite3.node /tmp/ \
 && rm -rf node_modules/sqlite3/build node_modules/sqlite3/deps node_modules/sqlite3/src \
 && mkdir -p node_modules/sqlite3/build/Release \
 && mv /tmp/node_sqlite3.node node_modules/sqlite3/build/Release/ \
 && node -e "require('sqlite3')" \
 && rm -rf /root/.npm /root/.cache

# ---- runtime ----
FROM node:22-bookworm-slim
# Label values only (Herald reports its own version from package.json); a release build sets
# them: --build-arg VERSION=$(node -p "require('./package.json').version") --build-arg REVISION=$(git rev-parse HEAD)
ARG VERSION=dev
ARG REVISION=unknown
LABEL org.opencontainers.image.title="Herald" \
      org.opencontainers.image.description="Self-hosted bot that forwards new RSS, Atom and JSON feed items into Discord and Slack channels." \
      org.opencontainers.image.url="https://github.com/herald-bot/herald" \
      org.opencontainers.image.source="https://github.com/herald-bot/herald" \
      org.opencontainers.image.documentation="https://github.com/herald-bot/herald#self-hosting" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"

ENV NODE_ENV=production \
    PORT=3000 \
    DATABASE_URL=sqlite:///data/herald.sqlite
WORKDIR /app
# package.json is read at run time for the version and User-Agent (src/version.ts).
COPY --from=build --chown=root:root /app/package.json ./
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --chown=root:root bin ./bin
# `npm start` works here too: its prestart step finds no src/ and runs dist/ as it is.
COPY --chown=root:root scripts ./scripts
# The default place of the optional settings file (HERALD_CONFIG): mount config/herald.json here.
COPY --chown=root:root config ./config
# The code stays root-owned and read-only to the app; only /data is writable by `node`.
# `herald` on PATH: `docker compose exec herald herald export > backup.json`.
RUN mkdir -p /data && chown node:node /data \
 && ln -s /app/bin/herald.js /usr/local/bin/herald
VOLUME ["/data"]
USER node

EXPOSE 3000
# No curl in the slim image: Node's own fetch checks liveness.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Compiled JavaScript, no TypeScript loader (`npm start` runs the same file after building it).
# Exec form: node is PID 1 and receives SIGTERM itself; src/main.ts handles SIGTERM/SIGINT
# (graceful stop, exit within 10 s), so no init process is needed. Node as PID 1 does not
# reap zombies, but Herald spawns no child processes.
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/main.js"]
