#!/bin/sh
# Builds the benchmarks module and runs the load runner (see LoadRunner's javadoc).
# Usage: llm-gateway-benchmarks/run-load.sh [--quick] [--no-proxy] [--previous FILE] [--jfr]
#          [LoadRunner options]
# Writes llm-gateway-benchmarks/results/load.md and load.json (unless --out says otherwise).
# --previous FILE: a load.json of an earlier run, whose figures go in the targets table's
# previous column; it is read before the run starts, so it may be the
# llm-gateway-benchmarks/results/load.json this run overwrites.
# --jfr: records lock waits (JFR, waits of 1 ms or more) at the highest callers count (64) and
# writes load-locks.md beside load.md; the raw recording stays in
# llm-gateway-benchmarks/target/load-locks.jfr (not committed).
# Arm C needs node and npm on the PATH: the runner installs the Portkey gateway with npm into
# llm-gateway-benchmarks/target/portkey (reused by later runs, removed by mvn clean); without
# them, or with --no-proxy, arm C is skipped and the report says why.
set -eu
cd "$(dirname "$0")/.."
mvn -q -pl llm-gateway-benchmarks -am package -DskipTests
exec java -Xms1g -Xmx1g -cp llm-gateway-benchmarks/target/benchmarks.jar \
  dev.llmgateway.benchmarks.load.LoadRunner "$@"
