# Sourced by the launchers: find_java prints the path of a java binary whose feature version is
# at least $1 (JAVA_HOME first, then the usual install places, then PATH), or fails.
java_feature_version() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1
}

find_java() {
  local need=$1 c v
  for c in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} /usr/lib/jvm/*/bin/java "$HOME"/.jdks/*/bin/java \
           "$HOME"/.sdkman/candidates/java/*/bin/java /opt/java/*/bin/java /usr/java/*/bin/java \
           "$(command -v java 2>/dev/null || true)"; do
    [ -x "$c" ] || continue
    v=$(java_feature_version "$c")
    if [ -n "$v" ] && [ "${v%%.*}" -ge "$need" ] 2>/dev/null; then echo "$c"; return 0; fi
  done
  echo "needs a JDK $need or newer (e.g. 'apt-get install temurin-$need-jdk', or any JDK $need under /usr/lib/jvm or JAVA_HOME)" >&2
  return 1
}

# build_if_stale JAR MODULE SOURCES...: runs a quiet Maven package of MODULE (and what it needs)
# when JAR is missing or older than any file under SOURCES.
build_if_stale() {
  local jar=$1 module=$2 root log
  shift 2
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  if [ -f "$jar" ] && [ -z "$(find "$@" "$root/pom.xml" -newer "$jar" -type f 2>/dev/null | head -1)" ]; then
    return 0
  fi
  echo "building $module (once)..." >&2
  log=$(mktemp)
  if ! (cd "$root" && mvn -B -q -DskipTests -pl "$module" -am package >"$log" 2>&1); then
    cat "$log" >&2
    rm -f "$log"
    echo "build of $module failed" >&2
    return 1
  fi
  rm -f "$log"
}
