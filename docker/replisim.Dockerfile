# replisim-server as a container image, for the harness's container backend (--backend container
# --server replisim). Build from the repository root:
#
#   docker build -f docker/replisim.Dockerfile -t replisim-server:local .
#
# The image runs `replisim-server` with the arguments it is given (the same option words as
# redis-server), listening on 6379 with /data as its working directory, as the redis:7.0 image does.
FROM node:20-slim AS build
WORKDIR /src
COPY . .
RUN npm install --no-audit --no-fund && npx tsc -b

FROM node:20-slim
WORKDIR /app
COPY --from=build /src/package.json /src/package-lock.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/packages ./packages
RUN mkdir /data
WORKDIR /data
EXPOSE 6379
ENTRYPOINT ["node", "/app/packages/server/bin/replisim-server.js"]
CMD ["--port", "6379", "--bind", "0.0.0.0", "--dir", "/data"]
