#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3) from npm into a cache outside the repository, following
# shared/docs/environment.md, plus Debian's Chromium for the browser tests. Prints the code-server path.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${DOCKWRIGHT_CACHE:-$HOME/.cache/dockwright}"
dir="$cache/code-server-4.100.3"
bin="$dir/node_modules/code-server/out/node/entry.js"
"$here/apt-install.sh" libkrb5-dev libxkbfile-dev libsecret-1-dev libx11-dev pkg-config ripgrep chromium
if [ -f "$dir/.complete" ]; then echo "$dir/node_modules/.bin/code-server"; exit 0; fi
mkdir -p "$dir"
cd "$dir"
[ -f package.json ] || echo '{"name":"code-server-host","private":true}' > package.json
npm install --no-audit --no-fund --ignore-scripts code-server@4.100.3 >"$dir/install.log" 2>&1
cd "$dir/node_modules/code-server/lib/vscode"
npm install --no-audit --no-fund --omit=dev --ignore-scripts >>"$dir/install.log" 2>&1
mkdir -p node_modules/@vscode/ripgrep/bin
cp /usr/bin/rg node_modules/@vscode/ripgrep/bin/rg
npm_config_yes=true npm rebuild >>"$dir/install.log" 2>&1
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sfn code-linux.sh code-server)
(cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
(cd extensions && npm install --no-audit --no-fund --omit=dev >>"$dir/install.log" 2>&1)
cd "$dir/node_modules/code-server"
npm rebuild argon2 >>"$dir/install.log" 2>&1
[ -f "$bin" ] || { echo "code-server install failed; see $dir/install.log" >&2; exit 1; }
touch "$dir/.complete"
echo "$dir/node_modules/.bin/code-server"
