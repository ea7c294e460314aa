#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3) from npm into a cache outside the repository, following
# shared/docs/environment.md, plus Debian's Chromium for the browser tests (unless DOCKWRIGHT_SKIP_CHROMIUM=1).
# Prints the code-server path (the only thing written to stdout; progress goes to stderr and $dir/install.log).
# Idempotent: a finished install is marked with $dir/.complete and is only trusted after `--version` answers.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${DOCKWRIGHT_CACHE:-$HOME/.cache/dockwright}"
dir="$cache/code-server-4.100.3"
entry="$dir/node_modules/code-server/out/node/entry.js"
bin="$dir/node_modules/.bin/code-server"
log="$dir/install.log"

works() { [ -f "$entry" ] && node "$entry" --version >/dev/null 2>&1; }

# Chromium is for the browser tests; DOCKWRIGHT_SKIP_CHROMIUM=1 (scripts/start.sh) leaves it out.
pkgs=(libkrb5-dev libxkbfile-dev libsecret-1-dev libx11-dev pkg-config ripgrep)
[ "${DOCKWRIGHT_SKIP_CHROMIUM:-}" = 1 ] || pkgs+=(chromium)
"$here/apt-install.sh" "${pkgs[@]}" >&2

mkdir -p "$dir"
# One installer at a time (start.sh and CI may both call this).
exec 9>"$dir/.lock"
flock 9

if [ -f "$dir/.complete" ] && works; then echo "$bin"; exit 0; fi
rm -f "$dir/.complete"
start=$SECONDS
echo "installing code-server 4.100.3 into $dir (a few minutes; log: $log)" >&2
cd "$dir"
[ -f package.json ] || echo '{"name":"code-server-host","private":true}' > package.json
: >"$log"
if [ ! -f "$entry" ]; then
  npm install --no-audit --no-fund --ignore-scripts code-server@4.100.3 >>"$log" 2>&1
fi
cd "$dir/node_modules/code-server/lib/vscode"
npm install --no-audit --no-fund --omit=dev --ignore-scripts >>"$log" 2>&1
mkdir -p node_modules/@vscode/ripgrep/bin
cp /usr/bin/rg node_modules/@vscode/ripgrep/bin/rg
npm_config_yes=true npm rebuild >>"$log" 2>&1
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sfn code-linux.sh code-server)
(cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
(cd extensions && npm install --no-audit --no-fund --omit=dev >>"$log" 2>&1)
# argon2 is hoisted to the top-level node_modules: rebuild it from there (from node_modules/code-server,
# `npm rebuild argon2` finds nothing to rebuild and code-server then fails to start).
cd "$dir"
npm_config_yes=true npm rebuild argon2 >>"$log" 2>&1
if ! works; then
  echo "code-server install failed: '$bin --version' does not run; see $log" >&2
  node "$entry" --version 2>&1 | tail -5 >&2 || true
  exit 1
fi
touch "$dir/.complete"
echo "code-server installed in $((SECONDS - start))s" >&2
echo "$bin"
