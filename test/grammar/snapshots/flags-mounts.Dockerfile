FROM debian:bookworm
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt,sharing=locked \
    apt-get update && apt-get install -y --no-install-recommends curl
RUN --mount=type=bind,from=build,source=/out,target=/mnt/out,rw cp -r /mnt/out /opt/
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc,required=true,mode=0400 \
    --mount=type=ssh,id=default \
    --mount=type=tmpfs,target=/tmp,size=64m \
    --network=none --security=insecure \
    npm ci
RUN --mount=type=cache,id=go-$TARGETARCH,target=/root/.cache/go-build,uid=${UID} go build
COPY --chown=app:app --chmod=755 --link --parents ./bin/ /usr/local/
COPY --exclude=*.md --exclude=docs/ . /src
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/app.tar.gz /tmp/
ADD --keep-git-dir=true https://github.com/moby/buildkit.git#v0.14.0 /buildkit
RUN \
    --mount=type=cache,target=/root/.npm \
    npm install --global --unsafe-perm pnpm
