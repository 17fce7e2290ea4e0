#!/bin/sh
# Finds a JDK >= 21 for the build and prints its home directory.
# Sourced by ./mvnw (which then exports JAVA_HOME); also runnable on its own:
#   "$(.mvn/jdk.sh)/bin/java" -jar functions/app/target/gateway-app.jar
# Order: $JAVA_HOME, the java on PATH, then the usual install folders (newest first).
gateway_required_jdk=21

gateway_jdk_major() { # $1 = a JDK home; prints its major version or nothing
  if [ -f "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" | head -n 1
  elif [ -x "$1/bin/java" ]; then
    "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1
  fi
}

gateway_find_jdk() (
  set +f  # callers such as mvnw run with globbing off
  for home in "${JAVA_HOME-}" \
      "$(command -v javac >/dev/null 2>&1 && dirname "$(dirname "$(readlink -f "$(command -v javac)")")")" \
      $(ls -d /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
              /Library/Java/JavaVirtualMachines/*/Contents/Home 2>/dev/null | sort -rV); do
    [ -n "$home" ] && [ -x "$home/bin/javac" ] || continue
    major=$(gateway_jdk_major "$home")
    if [ -n "$major" ] && [ "$major" -ge "$gateway_required_jdk" ]; then
      printf '%s\n' "$home"
      return 0
    fi
  done
  echo "No JDK >= $gateway_required_jdk found (looked at JAVA_HOME, PATH, /usr/lib/jvm, /usr/java, /opt/java, ~/.sdkman)." >&2
  echo "Install one, or point JAVA_HOME at it: JAVA_HOME=/path/to/jdk-21-or-newer ./mvnw ..." >&2
  return 1
)

# Run directly: print the JDK home.
case "$0" in
  *jdk.sh) gateway_find_jdk ;;
esac
