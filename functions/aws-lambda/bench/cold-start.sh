#!/bin/sh
# Cold-start benchmark of the streaming function: JVM launch -> first streamed body byte through the
# fake Runtime API, with Lambda's JVM flags, median of RUNS (default 5). Builds the zip first.
# Usage (from anywhere): functions/aws-lambda/bench/cold-start.sh
#   BENCH_UPSTREAM=bedrock: served by a fake Amazon Bedrock (SigV4 from environment credentials, event stream)
set -eu
cd "$(dirname "$0")/../../.."
./mvnw -q -B -ntp -pl functions/aws-lambda -am package -DskipTests
java="$(.mvn/jdk.sh)/bin/java"
module=functions/aws-lambda/target
exec "$java" -cp "$module/test-classes:$module/classes:$(cat "$module/bench-classpath.txt")" \
  io.llmgw.lambda.bench.ColdStartBench "$module/gateway-lambda.zip" "${RUNS:-5}" "$java"
