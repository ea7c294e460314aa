#!/usr/bin/env bash
# Dockwright, ready to use, in a browser VS Code on this machine:
#   bash scripts/start.sh         install what is missing, build dockwright.vsix, install it into code-server
#                                 4.100.3, start the Docker engine (when it can), open the example workspace
#                                 and print the 127.0.0.1 URL. Stays in the foreground; Ctrl-C stops everything.
#   bash scripts/start.sh stop    stop what a running start.sh started (from another terminal)
#
# Environment: PORT (first port to try, default 8080), DOCKWRIGHT_CACHE (default ~/.cache/dockwright: code-server,
# the profile, the workspace copy and the state of this script live there, outside the tracked files).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
cache="${DOCKWRIGHT_CACHE:-$HOME/.cache/dockwright}"
state="$cache/start"
export DOCKWRIGHT_CACHE="$cache"
mkdir -p "$state"

say() { printf '[start] %s\n' "$*"; }
alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
pidof_file() { [ -f "$1" ] && cat "$1" || true; }

# Stops the code-server process group and the dockerd that this script started (docker.sh only stops its own).
stop_children() {
  local pid
  pid="$(pidof_file "$state/code-server.pid")"
  if alive "$pid"; then
    say "stopping code-server (pid $pid)"
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do alive "$pid" || break; sleep 0.25; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$state/code-server.pid"
  if [ -f "$state/docker/dockerd.ours" ]; then
    say "stopping the Docker engine it started"
    DOCKWRIGHT_STATE="$state/docker" bash scripts/env/docker.sh stop || true
  fi
}

if [ "${1:-}" = stop ]; then
  pid="$(pidof_file "$state/start.pid")"
  if alive "$pid"; then
    say "stopping start.sh (pid $pid)"
    kill -TERM "$pid"
    for _ in $(seq 1 120); do alive "$pid" || break; sleep 0.25; done
  fi
  # Whatever a killed start.sh left behind.
  stop_children
  rm -f "$state/start.pid" "$state/url"
  say "stopped"
  exit 0
fi
[ $# -eq 0 ] || { echo "usage: bash scripts/start.sh [stop]" >&2; exit 2; }

pid="$(pidof_file "$state/start.pid")"
if alive "$pid"; then
  say "already running (pid $pid): $(cat "$state/url" 2>/dev/null || echo 'still starting')"
  say "stop it with: bash scripts/start.sh stop"
  exit 1
fi
stop_children # leftovers of a start.sh that was killed with SIGKILL
echo $$ >"$state/start.pid"

cleanup() {
  trap - EXIT INT TERM
  set +e
  echo
  stop_children
  rm -f "$state/start.pid" "$state/url"
  say "nothing left running"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

t0=$SECONDS
step() { say "$1 ($((SECONDS - t0))s)"; }

# 1. npm dependencies and the packaged extension (rebuilt when a source is newer than the .vsix).
if [ ! -d node_modules ]; then
  step "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
vsix="$root/dockwright.vsix"
if [ ! -f "$vsix" ] || [ -n "$(find client/src server/src syntaxes docs/rules package.json esbuild.mjs .vscodeignore README.md -newer "$vsix" -print -quit 2>/dev/null)" ]; then
  step "building dockwright.vsix (npm run package)"
  npm run package --silent >"$state/package.log" 2>&1 || { tail -30 "$state/package.log" >&2; say "npm run package failed; see $state/package.log"; exit 1; }
fi

# 2. code-server 4.100.3 (cached in $cache; a few minutes the first time). Chromium is only for the tests.
step "checking code-server 4.100.3 (installs it the first time, a few minutes)"
cs="$(DOCKWRIGHT_SKIP_CHROMIUM=1 bash scripts/env/code-server.sh | tail -1)"

# 3. The profile: its own user data and extensions folders, with the .vsix installed.
ud="$state/user-data"
ext="$state/extensions"
mkdir -p "$ud/User" "$ext"
if [ ! -f "$ud/User/settings.json" ]; then
  cat >"$ud/User/settings.json" <<JSON
{
  "workbench.startupEditor": "readme",
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "security.workspace.trust.enabled": false
}
JSON
fi
# /usr/bin/docker matches dockerd 20.10 and has BuildKit; the newer client first on PATH (/usr/local/bin) has no
# buildx plugin. dockwright.docker.path is machine-scoped: in code-server (a remote window) it goes in Machine/.
if [ -x /usr/bin/docker ] && [ ! -f "$ud/Machine/settings.json" ]; then
  mkdir -p "$ud/Machine"
  printf '{\n  "dockwright.docker.path": "/usr/bin/docker"\n}\n' >"$ud/Machine/settings.json"
fi
common=(--auth none --disable-telemetry --disable-update-check --disable-workspace-trust --config "$state/code-server.yaml" --user-data-dir "$ud" --extensions-dir "$ext")
step "installing dockwright.vsix into code-server"
"$cs" "${common[@]}" --install-extension "$vsix" --force >"$state/install-extension.log" 2>&1 || { cat "$state/install-extension.log" >&2; exit 1; }

# 4. The example workspace: a fresh copy of examples/ (edit it freely; the next start copies it again).
ws="$cache/examples"
rm -rf "$ws"
cp -r "$root/examples" "$ws"

# 5. The Docker engine, so that Build Image and Inspect Image work (dockerd --bridge=none; local/busybox:1).
step "starting the Docker engine (when it can)"
if DOCKWRIGHT_STATE="$state/docker" bash scripts/env/docker.sh start >"$state/docker.log" 2>&1; then
  if [ -f "$state/docker/dockerd.ours" ]; then say "Docker engine started (stopped again on exit)"; else say "Docker engine already running: using it"; fi
else
  say "could not start the Docker engine: Build Image and Inspect Image will say so; everything else works"
  tail -5 "$state/docker.log" | sed 's/^/[start]   /'
fi

# 6. code-server on the first free port from $PORT (127.0.0.1 only), in its own process group.
port="${PORT:-8080}"
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
step "starting code-server on 127.0.0.1:$port"
setsid "$cs" "${common[@]}" --bind-addr "127.0.0.1:$port" "$ws" >"$state/code-server.log" 2>&1 &
cs_pid=$!
echo "$cs_pid" >"$state/code-server.pid"
for _ in $(seq 1 240); do
  alive "$cs_pid" || { tail -20 "$state/code-server.log" >&2; say "code-server exited; see $state/code-server.log"; exit 1; }
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.25
done
url="http://127.0.0.1:$port/?folder=$ws"
echo "$url" >"$state/url"

cat <<EOF

  Dockwright is ready ($((SECONDS - t0))s). Open this URL in a browser on this machine:

      $url

  The example workspace (a copy of examples/): node-app, go-service, python-api, busybox-demo.
  Open a Dockerfile: problems, quick fixes (Ctrl+.), hovers, completion, image size hints.
  Build Image / Inspect Image: right-click busybox-demo/Dockerfile (it builds here, offline).

  Logs: $state/code-server.log    Stop: Ctrl-C here, or bash scripts/start.sh stop

EOF

# Foreground until Ctrl-C / stop (the EXIT trap cleans up) or until code-server exits by itself.
wait "$cs_pid" || true
say "code-server exited"
