#!/usr/bin/env bash
# A Spark standalone cluster on this machine, built from the Maven jars (no Spark download): a
# master and N workers, each a separate JVM; the workers start executors as separate JVMs too.
# DIR/spark-home/jars links the jars of spark/target/classpath.txt (Spark 4.1.1 with Hadoop's
# 3.5.0 client, which JDK 25 needs), as a distribution's jars/ directory would hold them.
#
#   spark/scripts/standalone-cluster.sh start DIR [WORKERS=2] [CORES=1] [MEMORY=1g]   prints the master URL
#   spark/scripts/standalone-cluster.sh stop DIR
#
# Logs go to DIR/logs, executors' stdout/stderr to DIR/worker-N/app-*/*/. Needs
# spark/target/classpath.txt (mvn -pl spark -am package, or one ./panama-cnn train --spark run).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$root/scripts/find-java.sh"
usage() { sed -n '6,7p' "${BASH_SOURCE[0]}" | sed 's/^# *//' >&2; exit 2; }
[ $# -ge 2 ] || usage
cmd=$1 dir=$2

# wait_for FILE PATTERN SECONDS PID: the pattern's first match in FILE, or fail when PID dies or time is up
wait_for() {
  local file=$1 pattern=$2 seconds=$3 pid=$4 i line
  for ((i = 0; i < seconds * 10; i++)); do
    line=$(grep -m1 -oE "$pattern" "$file" 2>/dev/null || true)
    if [ -n "$line" ]; then echo "$line"; return 0; fi
    kill -0 "$pid" 2>/dev/null || { echo "process $pid ended; its log $file:" >&2; tail -20 "$file" >&2; return 1; }
    sleep 0.1
  done
  echo "no '$pattern' in $file after $seconds s" >&2
  return 1
}

case $cmd in
start)
  workers=${3:-2} cores=${4:-1} memory=${5:-1g}
  [ -f "$root/spark/target/classpath.txt" ] || { echo "no spark/target/classpath.txt: run 'mvn -pl spark -am package -DskipTests' first" >&2; exit 1; }
  java_bin=$(find_java 25)
  mkdir -p "$dir/spark-home/jars" "$dir/logs"
  dir=$(cd "$dir" && pwd)
  # Spark's jars only: the job's own jar reaches the executors through spark.jars
  tr ':' '\n' <"$root/spark/target/classpath.txt" | grep '\.jar$' | grep -v '/panama-cnn-' | while read -r jar; do
    ln -sf "$jar" "$dir/spark-home/jars/"
  done
  # SPARK_SCALA_VERSION: Spark's launcher reads it from a distribution's scripts, or fails to build
  # the executors' command line ("Cannot find any build directories"); SPARK_LOCAL_IP: bind where
  # the master is, not to the first network interface.
  export SPARK_HOME="$dir/spark-home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-127.0.0.1}
  # the REST submission server would take the fixed port 6066 (two clusters on one machine clash)
  daemon=("$java_bin" @"$root/spark.jvm.config" -Xmx512m -Dspark.master.rest.enabled=false -cp "$dir/spark-home/jars/*")
  nohup "${daemon[@]}" org.apache.spark.deploy.master.Master \
      --host 127.0.0.1 --port 0 --webui-port 0 >"$dir/logs/master.log" 2>&1 &
  echo $! >"$dir/master.pid"
  url=$(wait_for "$dir/logs/master.log" 'spark://127\.0\.0\.1:[0-9]+' 60 "$(cat "$dir/master.pid")")
  for ((i = 1; i <= workers; i++)); do
    mkdir -p "$dir/worker-$i"
    nohup "${daemon[@]}" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 \
        --cores "$cores" --memory "$memory" --work-dir "$dir/worker-$i" --webui-port 0 "$url" >"$dir/logs/worker-$i.log" 2>&1 &
    echo $! >"$dir/worker-$i.pid"
  done
  for ((i = 1; i <= workers; i++)); do
    wait_for "$dir/logs/worker-$i.log" 'Successfully registered with master' 60 "$(cat "$dir/worker-$i.pid")" >/dev/null
  done
  echo "$url" | tee "$dir/master-url"
  ;;
stop)
  # workers first: a worker that stops kills its executors
  for f in "$dir"/worker-*.pid "$dir"/master.pid; do
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    if kill "$pid" 2>/dev/null; then
      for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$f"
  done
  ;;
*) usage ;;
esac
