# Shared helpers for the project's shell scripts. Sourced, never run.
# Every script says what it does, waits on real readiness probes (never a fixed sleep), and fails
# loudly with what to try next.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# Downloads (Node, Kafka jars, Maven repository) are cached here; git-ignored.
CACHE_DIR="${CRYPTO_VIZ_CACHE_DIR:-$ROOT/.cache}"
# Service data (Kafka log dirs, PostgreSQL cluster, Redis dump) and logs persist here; git-ignored.
DATA_DIR="${CRYPTO_VIZ_DATA_DIR:-$ROOT/.data}"
RUN_DIR="$DATA_DIR/run"
LOG_DIR="$DATA_DIR/logs"

NODE_VERSION="${CRYPTO_VIZ_NODE_VERSION:-24.21.0}"
KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$ROOT/infra/kafka/pom.xml")"

say() { printf '\033[1;34m[crypto-viz]\033[0m %s\n' "$*" >&2; }
warn() { printf '\033[1;33m[crypto-viz] warning:\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[crypto-viz] error:\033[0m %s\n' "$*" >&2; exit 1; }

# wait_until <description> <timeout-seconds> <command...>
# Polls the command every 0.25 s until it succeeds; prints what it waits for, fails after the deadline.
wait_until() {
  local what="$1" timeout="$2"
  shift 2
  local deadline=$((SECONDS + timeout)) announced=0
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      return 1
    fi
    if ((announced == 0)); then
      say "waiting for $what (up to ${timeout}s)…"
      announced=1
    fi
    sleep 0.25
  done
}

# True when `node` on PATH is new enough for the project (package.json's engines, checked by
# bin/supported-node.js, which any Node can run).
node_supported() {
  node --input-type=module -e "const m = await import('$ROOT/bin/supported-node.js'); process.exit(m.satisfies(process.version) ? 0 : 1)" 2>/dev/null
}

# Puts a Node the project can run first on PATH: the cached one if there, else the machine's own.
use_node() {
  if [[ -x "$CACHE_DIR/node/bin/node" ]]; then
    export PATH="$CACHE_DIR/node/bin:$PATH"
  fi
  node_supported || die "$(node --input-type=module -e "const m = await import('$ROOT/bin/supported-node.js'); console.log(m.tooOldMessage())" 2>/dev/null || echo "Node.js is missing: run scripts/install_node.sh")"
}

pid_alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
