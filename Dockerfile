# One image for every service; docker-compose.yml picks the command per service.
# Runs TypeScript with tsx (a runtime dependency) so the image needs no build step.
FROM node:20.19-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund
COPY lib ./lib
COPY emulator ./emulator
COPY subgraphs ./subgraphs
COPY gateway ./gateway
COPY schema ./schema
COPY scripts ./scripts
COPY tsconfig.json ./
USER node
CMD ["npx", "tsx", "gateway/main.ts"]
