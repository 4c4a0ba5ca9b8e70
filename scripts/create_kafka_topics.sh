#!/usr/bin/env bash
# Creates the project's Kafka topics (idempotent), for people used to the shell. A thin wrapper:
# the topic list lives in src/schemas/topics.ts and the work is done by `crypto-viz topics`.
#   scripts/create_kafka_topics.sh [--grow-partitions] [--json]
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
use_node
cd "$ROOT"
exec node src/cli.ts topics "$@"
