# One image for the API and the workers; the command chooses (see docker-compose.yml).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts tsconfig.json ./
COPY prisma ./prisma
COPY scripts ./scripts
# The Prisma CLI (a dev dependency) generates the client at install; then the dev dependencies go.
RUN npm ci --no-audit --no-fund --include=dev && npm prune --omit=dev --ignore-scripts --no-audit --no-fund
ENV NODE_ENV=production
COPY src ./src
COPY workers ./workers
EXPOSE 3000
# node itself is PID 1 so that SIGTERM reaches the graceful shutdown (npm does not forward it reliably).
CMD ["node", "--import", "tsx", "src/main.ts", "all"]
