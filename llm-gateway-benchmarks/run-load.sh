#!/bin/sh
# Builds the benchmarks module and runs the load runner (see LoadRunner's javadoc).
# Usage: llm-gateway-benchmarks/run-load.sh [--quick] [LoadRunner options]
# Writes llm-gateway-benchmarks/results/load.md and load.json (unless --out says otherwise).
set -eu
cd "$(dirname "$0")/.."
mvn -q -pl llm-gateway-benchmarks -am package -DskipTests
exec java -Xms1g -Xmx1g -cp llm-gateway-benchmarks/target/benchmarks.jar \
  dev.llmgateway.benchmarks.load.LoadRunner "$@"
