# One image for every service; docker-compose.yml picks the command per service.
# Stage 1 builds the self-hosted GraphiQL and compiles the services to JavaScript (build/, by
# `npm run build:server`; its tools are devDependencies); stage 2 installs production dependencies
# only; the runtime stage copies both and runs as the unprivileged `node` user.
# Each service is `node build/<service>/main.js`: compiled, so no process carries the tsx
# loader (~48 MB each) or transpiles at start; one process, so SIGTERM reaches the service itself
# and it drains (SHUTDOWN_TIMEOUT_MS) before exiting — no npm/npx wrapper in between. The
# TypeScript sources stay in the image for the operator's scripts (`npm run org:check`, via tsx).

FROM node:20.19-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY ui ./ui
COPY test/operations ./test/operations
RUN npm run build:graphiql
COPY lib ./lib
COPY gateway ./gateway
COPY subgraphs ./subgraphs
COPY emulator ./emulator
COPY schema ./schema
COPY gql ./gql
RUN npm run build:server

FROM node:20.19-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20.19-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
# Owned by root, read-only for the service user.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY lib ./lib
COPY emulator ./emulator
COPY subgraphs ./subgraphs
COPY gateway ./gateway
COPY schema ./schema
# The gateway loads the codegen persisted-documents manifest (trusted documents).
COPY gql ./gql
COPY scripts ./scripts
COPY --from=build /app/dist/graphiql ./dist/graphiql
COPY --from=build /app/build ./build
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.GATEWAY_PORT||4000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "build/gateway/main.js"]
