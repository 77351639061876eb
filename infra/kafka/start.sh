#!/usr/bin/env bash
# Starts a single-node Apache Kafka broker (KRaft, combined broker+controller)
# on 127.0.0.1 from the jars that pom.xml fetches. Prints the bootstrap address.
#
#   KAFKA_VERSION   Apache Kafka version (default 4.4.0; 3.9.1 is the supported 3.x). The default
#                   version's jars live in target/lib (the benchmark's Java tools use them there),
#                   any other version's in target/lib-<version>
#   KAFKA_PORT      listener port (default 9092); the controller uses KAFKA_PORT+1
#   KAFKA_RUN_DIR   pid, logs, data and server.properties (default infra/kafka/.run/<port>)
#   KAFKA_HEAP      JVM heap (default 512m)
#   KAFKA_JMX_EXPORTER_PORT  when set, serve broker metrics for Prometheus on this port
#   KAFKA_KEEP_DATA when 1 and KAFKA_RUN_DIR holds a formatted broker: start on its data (a
#                   broker restart), instead of a fresh one
#   KAFKA_PROXIED_PORT, KAFKA_PROXIED_ADVERTISED_PORT  when both are set, a second listener
#                   (PROXIED) on KAFKA_PROXIED_PORT that advertises KAFKA_PROXIED_ADVERTISED_PORT:
#                   clients that bootstrap through a proxy on that port (testkit's delay proxy)
#                   get the proxy's address in metadata, so all their connections go through
#                   it, while the first listener stays direct
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
port="${KAFKA_PORT:-9092}"
controller_port=$((port + 1))
run_dir="${KAFKA_RUN_DIR:-$here/.run/$port}"
# keep the default in step with kafka.version in pom.xml and DEFAULT_KAFKA_VERSION in testkit
default_version=4.4.0
version="${KAFKA_VERSION:-$default_version}"
if [ "$version" = "$default_version" ]; then lib="$here/target/lib"; else lib="$here/target/lib-$version"; fi
# Kafka 4 logs with log4j2; Kafka 3 with log4j 1 properties (reload4j). pom.xml's profiles
# fetch the binding that fits; both config files are written, each reads its own.
case "$version" in
  3.*) logging=(-Dkafka.logging=reload4j) ;;
  4.*) logging=() ;;
  *) echo "kafka:start: KAFKA_VERSION=$version: supported are 4.x and 3.9" >&2; exit 1 ;;
esac

command -v java >/dev/null || { echo "kafka:start: 'java' not found: install a JDK 17 (Debian: apt-get install openjdk-17-jdk-headless)" >&2; exit 1; }

# .complete holds the version the jars are of (an older checkout fetched 3.9.1 into target/lib)
if [ "$(cat "$lib/.complete" 2>/dev/null)" != "$version" ]; then
  command -v mvn >/dev/null || { echo "kafka:start: 'mvn' not found: install Apache Maven (Debian: apt-get install maven)" >&2; exit 1; }
  echo "kafka:start: fetching Apache Kafka $version's jars from Maven Central (once)" >&2
  rm -rf "$lib"
  mvn -q -B -f "$here/pom.xml" "-Dkafka.version=$version" ${logging[@]+"${logging[@]}"} \
    dependency:copy-dependencies -DoutputDirectory="$lib" >&2
  echo "$version" >"$lib/.complete"
fi

if [ -f "$run_dir/kafka.pid" ] && kill -0 "$(cat "$run_dir/kafka.pid")" 2>/dev/null; then
  echo "kafka:start: a broker from $run_dir is already running (pid $(cat "$run_dir/kafka.pid"))" >&2
  echo "127.0.0.1:$port"
  exit 0
fi

if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "kafka:start: port $port is taken by another process; set KAFKA_PORT" >&2
  exit 1
fi

keep=""
if [ "${KAFKA_KEEP_DATA:-}" = 1 ] && [ -f "$run_dir/data/meta.properties" ]; then keep=1; fi
if [ -z "$keep" ]; then rm -rf "$run_dir"; fi
mkdir -p "$run_dir/data"

listeners="PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port"
advertised="PLAINTEXT://127.0.0.1:$port"
protocols="PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
if [ -n "${KAFKA_PROXIED_PORT:-}" ] && [ -n "${KAFKA_PROXIED_ADVERTISED_PORT:-}" ]; then
  listeners="$listeners,PROXIED://127.0.0.1:$KAFKA_PROXIED_PORT"
  advertised="$advertised,PROXIED://127.0.0.1:$KAFKA_PROXIED_ADVERTISED_PORT"
  protocols="$protocols,PROXIED:PLAINTEXT"
fi

cat > "$run_dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=$listeners
advertised.listeners=$advertised
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=$protocols
log.dirs=$run_dir/data
num.partitions=1
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=12
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
group.initial.rebalance.delay.ms=0
delete.topic.enable=true
log.retention.check.interval.ms=30000
PROPS

cat > "$run_dir/log4j.properties" <<PROPS
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=$run_dir/server.log
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=INFO
log4j.logger.state.change.logger=WARN
PROPS

cat > "$run_dir/log4j2.properties" <<PROPS
status=warn
appender.file.type=File
appender.file.name=file
appender.file.fileName=$run_dir/server.log
appender.file.layout.type=PatternLayout
appender.file.layout.pattern=[%d] %p %m (%c)%n
rootLogger.level=INFO
rootLogger.appenderRef.file.ref=file
logger.kafka.name=kafka
logger.kafka.level=INFO
logger.apache.name=org.apache.kafka
logger.apache.level=INFO
logger.stateChange.name=state.change.logger
logger.stateChange.level=WARN
PROPS
log_opts=("-Dlog4j.configuration=file:$run_dir/log4j.properties"
  "-Dlog4j2.configurationFile=$run_dir/log4j2.properties")

cp="$lib/*"
java_opts=(-Xms256m "-Xmx${KAFKA_HEAP:-512m}" -XX:+UseG1GC -Djava.awt.headless=true "${log_opts[@]}")
if [ -n "${KAFKA_JMX_EXPORTER_PORT:-}" ]; then
  agent="$(ls "$here"/target/agent/jmx_prometheus_javaagent-*.jar 2>/dev/null | head -1 || true)"
  if [ -z "$agent" ]; then
    mvn -q -B -f "$here/pom.xml" dependency:copy -Dartifact=io.prometheus.jmx:jmx_prometheus_javaagent:1.0.1 -DoutputDirectory="$here/target/agent" >&2
    agent="$(ls "$here"/target/agent/jmx_prometheus_javaagent-*.jar | head -1)"
  fi
  java_opts+=("-javaagent:$agent=127.0.0.1:$KAFKA_JMX_EXPORTER_PORT:$here/jmx-exporter.yaml")
fi

if [ -z "$keep" ]; then
  cluster_id="$(java -cp "$cp" "${log_opts[@]}" kafka.tools.StorageTool random-uuid)"
  java -cp "$cp" "${log_opts[@]}" kafka.tools.StorageTool format \
    -t "$cluster_id" -c "$run_dir/server.properties" >"$run_dir/format.log" 2>&1 \
    || { echo "kafka:start: formatting storage failed, see $run_dir/format.log" >&2; exit 1; }
fi

nohup java "${java_opts[@]}" -cp "$cp" kafka.Kafka "$run_dir/server.properties" >"$run_dir/stdout.log" 2>&1 &
echo $! >"$run_dir/kafka.pid"

# Ready means the broker answers a metadata request, not just an open port.
deadline=$((SECONDS + ${KAFKA_START_TIMEOUT_S:-90}))
until java -cp "$cp" "${log_opts[@]}" \
    org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$port" --list >/dev/null 2>&1; do
  if ! kill -0 "$(cat "$run_dir/kafka.pid")" 2>/dev/null; then
    echo "kafka:start: the broker exited; last lines of $run_dir/server.log:" >&2
    tail -n 20 "$run_dir/server.log" "$run_dir/stdout.log" >&2 || true
    exit 1
  fi
  if [ $SECONDS -ge $deadline ]; then
    echo "kafka:start: no metadata answer from 127.0.0.1:$port in time; see $run_dir/server.log" >&2
    exit 1
  fi
  sleep 1
done
echo "127.0.0.1:$port"
