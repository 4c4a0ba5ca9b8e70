#!/usr/bin/env bash
# Kafka's own command-line tools, from the jars scripts/infra.sh cached (no Kafka install needed):
#   scripts/kafka.sh topics --bootstrap-server 127.0.0.1:9092 --list
#   scripts/kafka.sh topics --bootstrap-server 127.0.0.1:9092 --describe --topic rawtrade
#   scripts/kafka.sh consumer-groups --bootstrap-server 127.0.0.1:9092 --describe --all-groups
#   scripts/kafka.sh console-consumer --bootstrap-server 127.0.0.1:9092 --topic rawtrade --from-beginning
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
libs="$CACHE_DIR/kafka/$KAFKA_VERSION/libs"
[[ -d "$libs" ]] || die "Kafka jars not found in $libs: run scripts/infra.sh install"
tool="${1:-}"
shift || true
case "$tool" in
  topics) main=org.apache.kafka.tools.TopicCommand ;;
  consumer-groups) main=org.apache.kafka.tools.consumer.group.ConsumerGroupCommand ;;
  console-consumer) main=org.apache.kafka.tools.consumer.ConsoleConsumer ;;
  console-producer) main=org.apache.kafka.tools.ConsoleProducer ;;
  broker-api-versions) main=org.apache.kafka.tools.BrokerApiVersionsCommand ;;
  get-offsets) main=org.apache.kafka.tools.GetOffsetShell ;;
  *) die "usage: scripts/kafka.sh topics|consumer-groups|console-consumer|console-producer|broker-api-versions|get-offsets [args]" ;;
esac
exec java -Xmx256m -Dlog4j2.configurationFile="$ROOT/infra/kafka/log4j2-tools.xml" -cp "$libs/*" "$main" "$@"
