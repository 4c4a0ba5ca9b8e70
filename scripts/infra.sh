#!/usr/bin/env bash
# Local infrastructure without Docker: a real Apache Kafka broker (KRaft, jars from Maven Central),
# PostgreSQL and Redis (Debian's packages), each on loopback, data persisted under .data/.
#
#   scripts/infra.sh install            fetch/install what is missing (cached in .cache/, idempotent);
#                                       with TIMESCALEDB_SOURCE=path/to/timescaledb-X.tar.gz, also builds
#                                       TimescaleDB from that source (once: cached in .cache/timescaledb/)
#   scripts/infra.sh start [svc...]     start kafka, postgres, redis (default: all) and wait until ready
#   scripts/infra.sh stop  [svc...]     stop them gracefully, in reverse order
#   scripts/infra.sh status             one line per service (per Kafka node in a cluster)
#   BROKERS=3 scripts/infra.sh start    (or start --brokers 3) a three-node Kafka cluster instead
#                                       of one broker (scripts/lib/kafka-nodes.sh); `start kafka-2`
#                                       and `stop kafka-2` start or stop one node of it
#
# Ports: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), PGPORT (5432), REDIS_PORT (6379);
# a cluster's node i uses KAFKA_PORT + 2(i-1) and KAFKA_CONTROLLER_PORT + 2(i-1);
# KAFKA_FAULT_PORT (19092-19095) for fault-injection tests (single broker; see write_kafka_config).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/timescaledb.sh"
source "$(dirname "$0")/lib/kafka-nodes.sh"

KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_FAULT_PORT="${KAFKA_FAULT_PORT:-19092}"
PGPORT="${PGPORT:-5432}"
REDIS_PORT="${REDIS_PORT:-6379}"
PG_USER=cryptoviz PG_PASSWORD=cryptoviz PG_DB=cryptoviz
KAFKA_HOME="$CACHE_DIR/kafka/$KAFKA_VERSION"
KAFKA_DATA="$DATA_DIR/kafka"
PG_DATA="" # resolved by pg_locate
PG_LOG=""
REDIS_DATA="$DATA_DIR/redis"
READY_TIMEOUT="${CRYPTO_VIZ_READY_TIMEOUT:-90}"

pg_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do [[ -x "$dir/postgres" ]] && { echo "$dir"; return; }; done
  return 1
}

# The release of the installed server binary in $1 (its bin folder): "15.20".
pg_server_version() { "$1/postgres" --version | awk '{print $3}'; }

# PostgreSQL refuses to run as root; when we are root, its files belong to the `postgres` user.
# From `/`: the caller's folder may be one that user cannot enter.
as_pg() {
  if ((EUID == 0)); then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# Where the cluster lives: $DATA_DIR/postgres, unless we are root and the `postgres` user cannot
# reach it (the checkout is under /root or a mode-0700 temporary folder). Then it lives in that
# user's home, in a folder named after DATA_DIR, so that stop and status find it again.
# CRYPTO_VIZ_PG_DIR chooses the folder outright.
pg_locate() {
  local home
  if [[ -n "${CRYPTO_VIZ_PG_DIR:-}" ]]; then
    home="$CRYPTO_VIZ_PG_DIR"
  elif ((EUID != 0)) || [[ -f "$DATA_DIR/postgres/PG_VERSION" ]] || pg_can_enter "$DATA_DIR"; then
    home="$DATA_DIR/postgres"
  else
    local pg_home
    pg_home="$(getent passwd postgres | cut -d: -f6)"
    [[ -n "$pg_home" && -d "$pg_home" ]] ||
      die "the postgres user cannot enter $DATA_DIR and has no home folder: set CRYPTO_VIZ_DATA_DIR or CRYPTO_VIZ_PG_DIR to a folder it can reach"
    home="$pg_home/crypto-viz/$(printf '%s' "$DATA_DIR" | cksum | cut -d' ' -f1)"
    PG_ELSEWHERE="the postgres user cannot enter $DATA_DIR (a folder above it is closed, as /root or mktemp -d are), so its cluster lives in $home; set CRYPTO_VIZ_PG_DIR to choose another"
  fi
  PG_DATA="$home"
  PG_LOG="$LOG_DIR/postgres.log"
  [[ "$home" == "$DATA_DIR/postgres" ]] || PG_LOG="$home.log"
}

# True when the `postgres` user can enter the folder (every folder above it included).
pg_can_enter() {
  local dir="$1"
  while [[ ! -d "$dir" ]]; do dir="$(dirname "$dir")"; done
  as_pg test -x "$dir" 2>/dev/null
}

apt_install() {
  local sudo=""
  ((EUID == 0)) || sudo="sudo"
  command -v apt-get >/dev/null || die "apt-get not found: install $* with your package manager"
  say "installing Debian packages: $*"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null ||
    { $sudo apt-get update -q >/dev/null && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null; } ||
    die "apt-get install $* failed"
}

install_kafka() {
  if [[ -f "$KAFKA_HOME/libs/kafka_2.13-$KAFKA_VERSION.jar" ]]; then
    say "Kafka $KAFKA_VERSION jars cached in $KAFKA_HOME"
    return
  fi
  command -v mvn >/dev/null || apt_install maven
  command -v java >/dev/null || apt_install openjdk-17-jre-headless
  say "fetching Kafka $KAFKA_VERSION jars from Maven Central (once)…"
  rm -rf "$KAFKA_HOME.tmp"
  mvn -q -B -f "$ROOT/infra/kafka/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$KAFKA_HOME.tmp/libs" -Dmaven.repo.local="$CACHE_DIR/m2" ||
    die "could not fetch the Kafka jars: is Maven Central reachable?"
  rm -rf "$KAFKA_HOME" && mv "$KAFKA_HOME.tmp" "$KAFKA_HOME"
}

install_all() {
  install_kafka
  pg_bin >/dev/null || apt_install postgresql
  # Before any server starts: the build dependencies can upgrade the PostgreSQL package.
  [[ -n "${TIMESCALEDB_SOURCE:-}" ]] && install_timescaledb "$TIMESCALEDB_SOURCE"
  command -v redis-server >/dev/null || apt_install redis-server
  say "infrastructure installed: $(pg_flavour "$(pg_bin)")"
}

# What `start` runs: "PostgreSQL 15 with TimescaleDB 2.28.3", or plain PostgreSQL and how to change that.
pg_flavour() {
  local bin="$1" major version
  major="$(basename "$(dirname "$bin")")"
  if version="$(tsdb_installed_version "$bin")"; then
    echo "PostgreSQL $major with TimescaleDB $version"
  else
    echo "plain PostgreSQL $major (set TIMESCALEDB_SOURCE to build TimescaleDB)"
  fi
}

start_postgres() {
  local bin
  bin="$(pg_bin)" || die "PostgreSQL not installed: run scripts/infra.sh install"
  pg_locate
  local options="-p $PGPORT"
  # TimescaleDB must be loaded at server start. Given on the command line, not in postgresql.conf,
  # so that a cluster whose library is later removed still starts. It runs a scheduler per database
  # that holds the extension (the tests create many) and a worker per running job: PostgreSQL's
  # default of 8 background workers would soon leave jobs unable to start.
  tsdb_installed_version "$bin" >/dev/null &&
    options+=" -c shared_preload_libraries=timescaledb -c timescaledb.telemetry_level=off" &&
    options+=" -c max_worker_processes=40 -c timescaledb.max_background_workers=32"
  if as_pg "$bin/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    local why
    why="$(pg_restart_reason "$bin")"
    if [[ -z "$why" ]]; then say "PostgreSQL already running ($(pg_flavour "$bin"))"; return; fi
    say "PostgreSQL is running, but $why: restarting it"
    stop_postgres
  fi
  port_open "$PGPORT" && die "port $PGPORT is in use by another process (a system PostgreSQL?): stop it, or set PGPORT"
  [[ -n "${PG_ELSEWHERE:-}" ]] && say "$PG_ELSEWHERE"
  if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
    say "initialising a PostgreSQL cluster in $PG_DATA"
    mkdir -p "$PG_DATA"
    ((EUID == 0)) && chown postgres: "$PG_DATA"
    as_pg "$bin/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$LOG_DIR/postgres-init.log" 2>&1 ||
      die "initdb failed; see $LOG_DIR/postgres-init.log"
    cat >>"$PG_DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = '$PG_DATA'
max_connections = 200
shared_buffers = 256MB
synchronous_commit = on
CONF
  fi
  if ((EUID == 0)); then
    touch "$PG_LOG" && chown postgres: "$PG_LOG"
    # The log beside the others, wherever the server writes it.
    [[ "$PG_LOG" == "$LOG_DIR/postgres.log" ]] || ln -sfn "$PG_LOG" "$LOG_DIR/postgres.log"
  fi
  say "starting $(pg_flavour "$bin") on 127.0.0.1:$PGPORT"
  as_pg "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -o "$options" start >/dev/null ||
    die "PostgreSQL did not start; see $LOG_DIR/postgres.log"
  wait_until "PostgreSQL to accept connections" "$READY_TIMEOUT" "$bin/pg_isready" -q -h 127.0.0.1 -p "$PGPORT" ||
    die "PostgreSQL not ready after ${READY_TIMEOUT}s; see $LOG_DIR/postgres.log"
  # The application role and database, created once (idempotent).
  local psql=("$bin/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -v ON_ERROR_STOP=1 -qtA)
  if [[ "$("${psql[@]}" -c "select 1 from pg_roles where rolname='$PG_USER'")" != 1 ]]; then
    "${psql[@]}" -c "create role $PG_USER login superuser password '$PG_PASSWORD'"
  fi
  if [[ "$("${psql[@]}" -c "select 1 from pg_database where datname='$PG_DB'")" != 1 ]]; then
    "${psql[@]}" -c "create database $PG_DB owner $PG_USER"
  fi
  say "PostgreSQL ready: postgres://$PG_USER:$PG_PASSWORD@127.0.0.1:$PGPORT/$PG_DB"
}

# Why the running server must be restarted, or nothing: it lacks the TimescaleDB preload although
# the extension is installed, or it still runs a binary the package has since upgraded.
pg_restart_reason() {
  local bin="$1" answer version preload installed
  local psql=("$bin/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -qtA -F '|')
  # "15.20 (Debian 15.20-0+deb12u1)|timescaledb"; a server that does not answer is left alone.
  answer="$("${psql[@]}" -c "select current_setting('server_version'), current_setting('shared_preload_libraries')" 2>/dev/null)" ||
    return 0
  version="${answer%%|*}" && version="${version%% *}"
  preload="${answer#*|}"
  installed="$(pg_server_version "$bin")"
  if [[ "$version" != "$installed" ]]; then
    echo "its binary is $version while $installed is installed (the package was upgraded)"
  elif tsdb_installed_version "$bin" >/dev/null && [[ "$preload" != *timescaledb* ]]; then
    echo "without shared_preload_libraries=timescaledb, which the installed TimescaleDB needs"
  fi
}

start_redis() {
  local pidfile="$RUN_DIR/redis.pid"
  if pid_alive "$pidfile"; then say "Redis already running (pid $(cat "$pidfile"))"; return; fi
  command -v redis-server >/dev/null || die "redis-server not installed: run scripts/infra.sh install"
  port_open "$REDIS_PORT" && die "port $REDIS_PORT is in use by another process: stop it, or set REDIS_PORT"
  mkdir -p "$REDIS_DATA"
  say "starting Redis on 127.0.0.1:$REDIS_PORT"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$REDIS_DATA" --daemonize yes \
    --pidfile "$pidfile" --logfile "$LOG_DIR/redis.log" --save 60 1000 --appendonly no >/dev/null
  wait_until "Redis to answer PING" "$READY_TIMEOUT" redis_ready ||
    die "Redis not ready after ${READY_TIMEOUT}s; see $LOG_DIR/redis.log"
  say "Redis ready"
}

redis_ready() { [[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]; }

stop_postgres() {
  local bin
  bin="$(pg_bin)" || return 0
  pg_locate
  if ! as_pg "$bin/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then say "PostgreSQL not running"; return; fi
  say "stopping PostgreSQL"
  as_pg "$bin/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
}

stop_redis() {
  local pidfile="$RUN_DIR/redis.pid"
  if ! pid_alive "$pidfile"; then say "Redis not running"; rm -f "$pidfile"; return; fi
  local pid
  pid="$(cat "$pidfile")"
  say "stopping Redis (pid $pid)"
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
  wait_until "Redis to shut down" 30 bash -c "! kill -0 $pid 2>/dev/null" ||
    { warn "Redis did not stop in 30 s; killing it"; kill -KILL "$pid" 2>/dev/null || true; }
  rm -f "$pidfile"
}

status() {
  local bin
  bin="$(pg_bin 2>/dev/null)" || true
  kafka_status
  if [[ -n "$bin" ]] && "$bin/pg_isready" -q -h 127.0.0.1 -p "$PGPORT"; then echo "postgres  up    127.0.0.1:$PGPORT"; else echo "postgres  down"; fi
  if redis_ready; then echo "redis     up    127.0.0.1:$REDIS_PORT"; else echo "redis     down"; fi
}

mkdir -p "$RUN_DIR" "$LOG_DIR"
cmd="${1:-}"
shift || true
svcs=()
while (($#)); do
  case "$1" in
    --brokers) BROKERS="${2:-}"; shift 2 || die "--brokers needs a node count" ;;
    --brokers=*) BROKERS="${1#--brokers=}"; shift ;;
    *) svcs+=("$1"); shift ;;
  esac
done
# One service: kafka, postgres, redis, or kafka-<i> (one node of a Kafka cluster).
run_service() {
  local action="$1" svc="$2"
  case "$svc" in
    kafka-[1-9]) "${action}_kafka" "${svc#kafka-}" ;;
    kafka | postgres | redis) "${action}_$svc" ;;
    *) die "unknown service \"$svc\": kafka, kafka-<node>, postgres or redis" ;;
  esac
}
case "$cmd" in
  install) install_all ;;
  start)
    ((${#svcs[@]})) || svcs=(kafka postgres redis)
    for s in "${svcs[@]}"; do run_service start "$s"; done
    ;;
  stop)
    ((${#svcs[@]})) || svcs=(redis postgres kafka)
    for s in "${svcs[@]}"; do run_service stop "$s"; done
    ;;
  status) status ;;
  *) die "usage: scripts/infra.sh install|start|stop|status [--brokers N] [kafka|kafka-<node>|postgres|redis]..." ;;
esac
