#!/usr/bin/env bash
# Starts the whole stack on this machine, without Docker, each step waiting on real readiness:
#   1. infrastructure: Kafka (KRaft), PostgreSQL, Redis      (scripts/infra.sh)
#   2. Kafka topics, idempotently                             (crypto-viz topics)
#   3. database migrations                                    (crypto-viz migrate)
#   4. the roles, each its own process: api, ingest, analytics, produce
# Roles log to .data/logs/<role>.log; each serves /health/ready and /metrics on its own port.
# Stop everything with scripts/stop_all.sh. Set ROLES="ingest api" to start only some roles.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
use_node
cd "$ROOT"
mkdir -p "$RUN_DIR" "$LOG_DIR"

say "step 1/4: infrastructure"
"$ROOT/scripts/infra.sh" install
"$ROOT/scripts/infra.sh" start

brokers="${BROKERS:-1}"
if ((brokers > 1)); then
  # A cluster (BROKERS=N, scripts/lib/kafka-nodes.sh): the roles bootstrap from every node, and the
  # topics are replicated so that one node may be down (infra.sh prints the same settings).
  servers=""
  for ((i = 0; i < brokers; i++)); do servers+="${servers:+,}127.0.0.1:$((${KAFKA_PORT:-9092} + 2 * i))"; done
  export KAFKA_SERVERS="${KAFKA_SERVERS:-$servers}"
  export TOPIC_REPLICATION_FACTOR="${TOPIC_REPLICATION_FACTOR:-$((brokers < 3 ? brokers : 3))}"
  export TOPIC_MIN_INSYNC_REPLICAS="${TOPIC_MIN_INSYNC_REPLICAS:-$((brokers < 3 ? 1 : 2))}"
fi
export KAFKA_SERVERS="${KAFKA_SERVERS:-127.0.0.1:${KAFKA_PORT:-9092}}"
export DATABASE_URL="${DATABASE_URL:-postgres://cryptoviz:cryptoviz@127.0.0.1:${PGPORT:-5432}/cryptoviz}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:${REDIS_PORT:-6379}}"
# Recorded for the commands run afterwards in this checkout (doctor, topics, backfill…), which read
# it under their own environment and .env (src/config/config.ts); stop_all.sh removes it.
cat >"$DATA_DIR/stack.env" <<ENV
# Written by scripts/start_all.sh: the stack it started. Removed by scripts/stop_all.sh.
KAFKA_SERVERS=$KAFKA_SERVERS
DATABASE_URL=$DATABASE_URL
REDIS_URL=$REDIS_URL
ENV
if ((brokers > 1)); then
  printf 'TOPIC_REPLICATION_FACTOR=%s\nTOPIC_MIN_INSYNC_REPLICAS=%s\n' \
    "$TOPIC_REPLICATION_FACTOR" "$TOPIC_MIN_INSYNC_REPLICAS" >>"$DATA_DIR/stack.env"
fi
say "stack addresses recorded in $DATA_DIR/stack.env: crypto-viz commands in this checkout use them"

say "step 2/4: Kafka topics"
node src/cli.ts topics || die "creating topics failed (see above)"

available="$(node src/cli.ts help | awk '/^commands:/{on=1;next} on && NF{print $1}')"
has() { grep -qx "$1" <<<"$available"; }

say "step 3/4: database migrations"
node src/cli.ts migrate || die "migrations failed (see above)"

say "step 4/4: roles"
declare -A ops_port=([api]=9464 [ingest]=9465 [analytics]=9466 [produce]=9467)
for role in ${ROLES:-api ingest analytics produce}; do
  if ! has "$role"; then
    warn "'$role' is not a role (crypto-viz help lists them); skipping"
    continue
  fi
  pidfile="$RUN_DIR/$role.pid"
  if pid_alive "$pidfile"; then
    say "$role already running (pid $(cat "$pidfile"))"
    continue
  fi
  port="${ops_port[$role]:-0}"
  OPS_PORT="$port" nohup node src/cli.ts "$role" >"$LOG_DIR/$role.log" 2>&1 &
  echo $! >"$pidfile"
  wait_until "$role to be ready (http://127.0.0.1:$port/health/ready)" 120 \
    bash -c "kill -0 $(cat "$pidfile") && curl -fsS http://127.0.0.1:$port/health/ready" ||
    die "$role did not become ready; last lines of $LOG_DIR/$role.log:
$(tail -n 20 "$LOG_DIR/$role.log")"
  say "$role ready (pid $(cat "$pidfile"), health http://127.0.0.1:$port/health/ready)"
done
say "all started. Stop with scripts/stop_all.sh"
