#!/usr/bin/env bash
# A real image registry (Debian's docker-registry, distribution 2.8) on 127.0.0.1 only.
#   registry.sh start [port=5555]   prints the address 127.0.0.1:PORT
#   registry.sh stop
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
state="${DOCKWRIGHT_STATE:-/tmp/dockwright-env}"
mkdir -p "$state"
port="${2:-5555}"
case "${1:-start}" in
  start)
    "$here/apt-install.sh" docker-registry
    if [ -f "$state/registry.pid" ] && kill -0 "$(cat "$state/registry.pid")" 2>/dev/null; then
      cat "$state/registry.addr"; exit 0
    fi
    storage="$(mktemp -d)"
    cat >"$state/registry.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
YAML
    /usr/bin/docker-registry serve "$state/registry.yml" >"$state/registry.log" 2>&1 &
    echo $! >"$state/registry.pid"
    for _ in $(seq 1 60); do
      (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
      sleep 0.25
    done
    echo "127.0.0.1:$port" | tee "$state/registry.addr"
    ;;
  stop)
    [ -f "$state/registry.pid" ] && kill "$(cat "$state/registry.pid")" 2>/dev/null || true
    rm -f "$state/registry.pid"
    ;;
  *) echo "usage: $0 start|stop [port]" >&2; exit 2 ;;
esac
