#!/usr/bin/env bash
# A real Docker engine for the tests, per shared/docs/environment.md: dockerd with no bridge network,
# started in the background, plus a local base image made from busybox (nothing can be pulled here).
#   docker.sh start   install if needed, start dockerd, build local/busybox:1; prints nothing else
#   docker.sh stop    stop the dockerd this script started
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
state="${DOCKWRIGHT_STATE:-/tmp/dockwright-env}"
mkdir -p "$state"
DOCKER=/usr/bin/docker
case "${1:-start}" in
  start)
    "$here/apt-install.sh" docker.io busybox-static
    if ! "$DOCKER" version >/dev/null 2>&1; then
      dockerd --bridge=none --iptables=false --ip6tables=false --pidfile "$state/dockerd.pid" >"$state/dockerd.log" 2>&1 &
      for _ in $(seq 1 120); do
        "$DOCKER" version >/dev/null 2>&1 && break
        sleep 0.5
      done
      "$DOCKER" version >/dev/null 2>&1 || { echo "dockerd did not start; see $state/dockerd.log" >&2; tail -20 "$state/dockerd.log" >&2; exit 1; }
      echo started > "$state/dockerd.ours"
    fi
    if ! "$DOCKER" image inspect local/busybox:1 >/dev/null 2>&1; then
      root="$(mktemp -d)"
      mkdir -p "$root/bin" "$root/tmp" "$root/etc"
      cp /bin/busybox "$root/bin/busybox"
      for a in sh ls echo cat cp mv rm mkdir touch chmod chown sleep true false env wc head tail sed grep dd seq ln sh test \[ printf id uname whoami yes sort find xargs tr cut tar gzip; do
        ln -sf busybox "$root/bin/$a"
      done
      echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
      echo 'root:x:0:' > "$root/etc/group"
      tar -C "$root" -c . | "$DOCKER" import -c 'ENV PATH=/bin' - local/busybox:1 >/dev/null
      rm -rf "$root"
    fi
    ;;
  stop)
    if [ -f "$state/dockerd.ours" ] && [ -f "$state/dockerd.pid" ]; then
      pid="$(cat "$state/dockerd.pid")"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      rm -f "$state/dockerd.ours"
    fi
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
