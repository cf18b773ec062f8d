# The gateway image: Node 20, production dependencies only, TypeScript run through tsx (no build step).
FROM node:20-bookworm-slim

WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY tsconfig.json ./
COPY bin ./bin
COPY src ./src

# The lake lives on a volume; the demo table is generated there on first start when DEMO_LAKE=true.
RUN mkdir -p /data/lake && chown node:node /data/lake
ENV HOST=0.0.0.0 \
    PORT=4000 \
    LAKE_ROOT=/data/lake
VOLUME ["/data/lake"]
EXPOSE 4000
USER node

HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"

# SIGTERM reaches node directly (exec form): /ready fails, HTTP drains, sources close.
CMD ["node", "bin/delta-gateway.mjs", "serve"]
