# syntax=docker/dockerfile:1
ARG GO_VERSION=1.22
ARG BASE_IMAGE
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download

from build as test
run go test ./...

FROM registry.example.com:5000/team/runtime:1.2.3@sha256:0123456789abcdef AS Runtime
FROM ${BASE_IMAGE:-debian:bookworm-slim} AS final
FROM scratch
COPY --from=build /out/app /app
COPY --from=0 /etc/passwd /etc/passwd
COPY --from=alpine:3.20 /bin/busybox /busybox
From final
