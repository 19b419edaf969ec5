#!/usr/bin/env bash
# broker.sh -- a local single-node Kafka broker (KRaft: broker and controller in one process), run from the
# Maven Central jars listed in kafka/pom.xml. Used by the Kafka tests, the benchmark, .ci/run and the README.
#
#   kafka/broker.sh fetch                         resolve the broker's jars with Maven (once; cached in kafka/.cache)
#   kafka/broker.sh start [--port 9092] [--controller-port 9093] [--owner PID]
#        formats a fresh temporary log dir, starts the broker and waits (at most 30 s) until it serves clients;
#        prints "bootstrap=127.0.0.1:9092 pid=1234 dir=/tmp/sentinel-kafka-9092"; with --owner, the broker is
#        also stopped when process PID ends (tests pass their own PID, so no broker outlives them)
#   kafka/broker.sh status [--port 9092]          "running pid=1234" (exit 0) or "stopped" (exit 1)
#   kafka/broker.sh stop [--port 9092]            stops that broker by its PID and deletes its log dir
#   kafka/broker.sh topic NAME [PARTITIONS] [--port 9092]   creates a topic (4 partitions unless given)
#   kafka/broker.sh produce NAME [--port 9092] < access.log  sends lines, each keyed by its first field (the client IP)
#
# Needs Java 17+ and Maven. The broker uses a 256 MB heap (about 330 MB in all); its log is DIR/broker.log.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="$here/.cache"
cpfile="$cache/classpath.txt"
port=9092
cport=""
owner=""
wait_secs=30

die() { echo "kafka: $*" >&2; exit 1; }

fetch() {
  if [ -s "$cpfile" ] && [ "$cpfile" -nt "$here/pom.xml" ]; then
    local ok=1 jar
    IFS=":" read -r -a jars < "$cpfile" || true  # the file has no final newline
    for jar in "${jars[@]}"; do [ -f "$jar" ] || { ok=0; break; }; done
    [ "$ok" = 1 ] && return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "Maven (mvn) is needed to fetch the broker's jars: install it (e.g. apt-get install maven)"
  mkdir -p "$cache"
  echo "kafka: resolving the broker's jars with Maven (once)..." >&2
  if ! mvn -q -B -f "$here/pom.xml" dependency:build-classpath -Dmdep.outputFile="$cpfile.tmp" >"$cache/fetch.log" 2>&1; then
    die "could not resolve the broker's jars with Maven; see $cache/fetch.log"
  fi
  mv "$cpfile.tmp" "$cpfile"
}

java_bin() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then echo "$JAVA_HOME/bin/java"
  elif command -v java >/dev/null 2>&1; then command -v java
  else die "Java 17 or newer is needed to run the broker"
  fi
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

state_dir() { echo "${TMPDIR:-/tmp}/sentinel-kafka-$port"; }

running_pid() {
  local pidfile
  pidfile="$(state_dir)/broker.pid"
  [ -s "$pidfile" ] || return 1
  local pid
  pid="$(cat "$pidfile")"
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

# Kafka's cluster id: 16 random bytes in URL-safe base64 without padding.
cluster_id() { head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'; }

start() {
  [ -n "$cport" ] || cport=$((port + 1))
  if pid="$(running_pid)"; then die "a broker already runs on port $port (pid $pid): kafka/broker.sh stop --port $port"; fi
  port_open "$port" && die "port $port is in use by another program: choose another with --port"
  port_open "$cport" && die "port $cport is in use by another program: choose another with --controller-port"
  fetch
  local java cp dir
  java="$(java_bin)"
  cp="$(cat "$cpfile")"
  dir="$(state_dir)"
  rm -rf "$dir"
  mkdir -p "$dir/data"
  sed -e "s|@PORT@|$port|g" -e "s|@CONTROLLER_PORT@|$cport|g" -e "s|@DATA_DIR@|$dir/data|g" \
    "$here/server.properties.template" > "$dir/server.properties"
  local jvm=(-Xmx256m -XX:+UseSerialGC -Djava.awt.headless=true -Dorg.slf4j.simpleLogger.defaultLogLevel=info
             -Dorg.slf4j.simpleLogger.showDateTime=true -Dlog4j2.level=warn)
  if ! "$java" "${jvm[@]}" -cp "$cp" kafka.tools.StorageTool format --standalone -t "$(cluster_id)" \
        -c "$dir/server.properties" >"$dir/format.log" 2>&1; then
    tail -n 5 "$dir/format.log" >&2
    die "could not format the log dir $dir (see above)"
  fi
  nohup "$java" "${jvm[@]}" -cp "$cp" kafka.Kafka "$dir/server.properties" >"$dir/broker.log" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" > "$dir/broker.pid"
  if [ -n "$owner" ]; then
    # Stops the broker when its owner (a test JVM) ends, even if the owner is killed before it can stop it.
    # It returns as soon as the broker is gone, so it never signals a PID the system has reused.
    nohup bash -c "while kill -0 $owner 2>/dev/null && kill -0 $pid 2>/dev/null; do sleep 1; done
                   kill -0 $pid 2>/dev/null || exit 0
                   kill $pid; for i in \$(seq 1 50); do kill -0 $pid 2>/dev/null || exit 0; sleep 0.2; done
                   kill -9 $pid" >/dev/null 2>&1 </dev/null &
  fi
  local deadline=$((SECONDS + wait_secs))
  until port_open "$port" && grep -q "Kafka Server started" "$dir/broker.log" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      grep -E "ERROR|Exception|Error:" "$dir/broker.log" | tail -n 5 >&2 || tail -n 5 "$dir/broker.log" >&2
      die "the broker exited during start-up (log: $dir/broker.log)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      kill "$pid" 2>/dev/null || true
      die "the broker did not start within ${wait_secs} s (log: $dir/broker.log)"
    fi
    sleep 0.2
  done
  echo "bootstrap=127.0.0.1:$port pid=$pid dir=$dir"
}

stop() {
  local dir pid
  dir="$(state_dir)"
  if pid="$(running_pid)"; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
    echo "kafka: stopped the broker on port $port (pid $pid)" >&2
  else
    echo "kafka: no broker runs on port $port" >&2
  fi
  rm -rf "$dir"
}

tool() {
  fetch
  running_pid >/dev/null || die "no broker runs on port $port: kafka/broker.sh start --port $port"
  local java
  java="$(java_bin)"
  "$java" -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$(cat "$cpfile")" "$@"
}

topic() {
  [ -n "$name" ] || die "usage: kafka/broker.sh topic NAME [PARTITIONS] [--port N]"
  tool org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$port" --create --if-not-exists \
    --topic "$name" --partitions "${partitions:-4}" --replication-factor 1
}

produce() {
  [ -n "$name" ] || die "usage: kafka/broker.sh produce NAME [--port N] < lines"
  # key<TAB>line, as a log shipper keyed by client IP sends them (README, Many servers)
  awk -v OFS='\t' '{ print $1, $0 }' | tool org.apache.kafka.tools.ConsoleProducer --bootstrap-server "127.0.0.1:$port" \
    --topic "$name" --reader-property parse.key=true --reader-property key.separator=$'\t'
}

cmd="${1:-}"
[ $# -gt 0 ] && shift
name=""
partitions=""
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="$2"; shift 2 ;;
    --controller-port) cport="$2"; shift 2 ;;
    --owner) owner="$2"; shift 2 ;;
    -*) die "unknown option '$1' (see the top of kafka/broker.sh)" ;;
    *) if [ -z "$name" ]; then name="$1"; elif [ -z "$partitions" ]; then partitions="$1"; else die "unexpected '$1'"; fi; shift ;;
  esac
done
case "$port$cport$owner$partitions" in *[!0-9]*) die "--port, --controller-port, --owner and PARTITIONS take numbers" ;; esac

case "$cmd" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  topic) topic ;;
  produce) produce ;;
  status) if pid="$(running_pid)"; then echo "running pid=$pid"; else echo "stopped"; exit 1; fi ;;
  *) die "usage: kafka/broker.sh fetch | start [--port N] [--controller-port N] [--owner PID] | status | stop | topic NAME [PARTITIONS] | produce NAME" ;;
esac
