# kpki: multi-stage image. Build: docker build -t kpki . ; run: see docker-compose.yml.
# The image runs the compiled server (apps/server/dist/server.js, built by apps/server/build.mjs):
# no TypeScript at run time. apps/server/test/built-server.test.ts runs this CMD as the image does.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
RUN npm install -g pnpm@10.34.8
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml tsconfig.base.json ./
COPY packages/shared/package.json packages/shared/
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
COPY apps/cli/package.json apps/cli/
RUN pnpm install --frozen-lockfile
COPY packages packages
COPY apps apps
RUN pnpm --filter @kpki/web build && pnpm --filter @kpki/server build && pnpm prune --prod --config.ignore-scripts=true

FROM node:20-bookworm-slim
ENV NODE_ENV=production KPKI_HOST=0.0.0.0 KPKI_PORT=8080 KPKI_DATA_DIR=/data
WORKDIR /app
COPY --from=build /app /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8080
CMD ["node", "apps/server/dist/server.js"]
