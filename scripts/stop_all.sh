#!/usr/bin/env bash
# Stops what scripts/start_all.sh started, in reverse order and gracefully: producers first (no new
# input), then the stream jobs (they finish and commit their batch), the API, and the infrastructure.
# Leaves no stray processes. Set KEEP_INFRA=1 to stop only the roles.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$ROOT"

for role in produce analytics ingest api; do
  pidfile="$RUN_DIR/$role.pid"
  if ! pid_alive "$pidfile"; then
    rm -f "$pidfile"
    continue
  fi
  pid="$(cat "$pidfile")"
  say "stopping $role (pid $pid)"
  kill -TERM "$pid"
  if ! wait_until "$role to finish its in-flight work" 60 bash -c "! kill -0 $pid 2>/dev/null"; then
    warn "$role did not stop within 60 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
done

rm -f "$DATA_DIR/stack.env"
if [[ "${KEEP_INFRA:-0}" != 1 ]]; then
  "$ROOT/scripts/infra.sh" stop
fi
say "stopped"
