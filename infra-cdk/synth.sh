#!/bin/sh
# Synthesizes the CDK app with the pinned CDK CLI, as `cdk deploy` would before deploying:
#   infra-cdk/synth.sh [cdk synth options, e.g. -c containerPlatform=apprunner -o cdk.out.apprunner]
# Installs aws-cdk into infra-cdk/node_modules (npm, no global install, nothing written to a package
# file) when that version is not there yet. cdk.json's app builds and runs the Java app through
# ../mvnw, which needs the built artifacts: ./mvnw -B -DskipTests package first.
# cdk-nag's AwsSolutions errors fail the synth. Templates land in cdk.out (or the -o folder).
set -eu
cd "$(dirname "$0")"

# The 2.x CLI line that reads aws-cdk-lib 2.263.0's cloud-assembly schema; the 3.x CLI does not.
CDK_CLI_VERSION=2.1148.1
if [ "$(node_modules/.bin/cdk --version 2>/dev/null | cut -d' ' -f1)" != "$CDK_CLI_VERSION" ]; then
  echo "installing aws-cdk@$CDK_CLI_VERSION into infra-cdk/node_modules" >&2
  npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error --prefix . "aws-cdk@$CDK_CLI_VERSION" >&2
fi

# No notices or telemetry: synth works offline.
CDK_DISABLE_CLI_TELEMETRY=true exec node_modules/.bin/cdk synth --quiet --no-notices "$@"
