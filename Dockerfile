# One image for the API and the workers; the command chooses (see docker-compose.yml).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json prisma.config.ts tsconfig.json ./
COPY prisma ./prisma
COPY scripts ./scripts
RUN npm ci --no-audit --no-fund
COPY src ./src
COPY workers ./workers
EXPOSE 3000
# node itself is PID 1 so that SIGTERM reaches the graceful shutdown (npm does not forward it reliably).
CMD ["node", "--import", "tsx", "src/main.ts", "all"]
