# Shared by bin/gateway and bin/simulator: find a JDK >= 21, build the jars if missing, run a main jar.
# Sourced, not executed.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MIN_JAVA=21

# Installed layout (/opt/gateway: gateway.jar, simulator.jar and lib/ beside bin/, see systemd/install.sh and the
# .deb): run the jars found there and never build. In a source tree the launcher module builds both jars.
INSTALLED=""
if [ -f "$ROOT/gateway.jar" ]; then
  INSTALLED=1
  : "${GATEWAY_JAR:=$ROOT/gateway.jar}"
  : "${SIMULATOR_JAR:=$ROOT/simulator.jar}"
else
  : "${GATEWAY_JAR:=$ROOT/gateway/launcher/target/gateway.jar}"
  : "${SIMULATOR_JAR:=$ROOT/gateway/launcher/target/gateway-simulator.jar}"
fi

java_major() {
  # Prints the feature version of the java binary $1 (17, 21, 25...), or nothing. Reads the JDK's release file
  # when there is one: starting a JVM per candidate costs seconds on a Pi at every service start.
  local home; home="$(dirname "$(dirname "$(readlink -f "$1")")")"
  if [ -f "$home/release" ]; then
    sed -n 's/^JAVA_VERSION="\{0,1\}\([0-9]*\).*/\1/p' "$home/release" | head -n 1
  else
    "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
  fi
}

find_java() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
  command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
  # GATEWAY_JVM_DIRS: where JDKs are unpacked, one per subdirectory (tests point it elsewhere).
  local d j
  for d in ${GATEWAY_JVM_DIRS:-/usr/lib/jvm /opt/java}; do
    for j in "$d"/*/bin/java; do
      [ -x "$j" ] && candidates+=("$j")
    done
  done
  [ -x "$ROOT/jre/bin/java" ] && candidates+=("$ROOT/jre/bin/java")
  local c v best="" best_v=0
  for c in "${candidates[@]}"; do
    [ -x "$c" ] || continue
    v="$(java_major "$c")"
    v="${v%%.*}"
    [ -n "$v" ] || continue
    if [ "$v" -ge "$MIN_JAVA" ] && [ "$v" -gt "$best_v" ]; then best="$c"; best_v="$v"; fi
  done
  if [ -z "$best" ]; then
    echo "error: no Java runtime >= $MIN_JAVA found (looked at JAVA_HOME, PATH, ${GATEWAY_JVM_DIRS:-/usr/lib/jvm /opt/java})." >&2
    echo "       Install one (Debian 13 / Raspberry Pi OS trixie: 'apt-get install openjdk-21-jre-headless';" >&2
    echo "       Debian 12: Temurin 21 from packages.adoptium.net), or set JAVA_HOME." >&2
    exit 3
  fi
  JAVA="$best"
}

# Builds the project when the jar $1 is missing (a fresh clone). Maven picks a JDK >= 21 by itself.
ensure_built() {
  local jar="$1"
  [ -f "$jar" ] && return 0
  if [ -n "$INSTALLED" ]; then
    echo "error: $jar is missing: the installation in $ROOT is incomplete; reinstall the package." >&2
    exit 3
  fi
  if ! command -v mvn >/dev/null 2>&1; then
    echo "error: $jar is missing and Maven is not installed to build it." >&2
    exit 3
  fi
  echo "Building (first run; takes a minute)..." >&2
  # Maven 3.8 prints colour resets even in quiet batch mode; strip them. pipefail keeps a failed build failed.
  (set -o pipefail; cd "$ROOT" && mvn -q -B -DskipTests package 2>&1 | sed 's/\x1b\[[0-9;]*m//g' >&2) \
    || { echo "error: build failed" >&2; exit 3; }
}

# glibc makes one malloc arena per core and thread; two keep native memory small.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"

# Application class-data sharing: the classes of a jar's first run are archived when that JVM exits, and later
# runs map them instead of loading and verifying them again (less memory and a faster start). An archive belongs
# to one JDK build and one jar, so it is made where it runs, not shipped. The JVM makes a missing archive but does
# not remake a stale one, so the name carries the JDK's version and the jar's size and time, and older ones go.
# An archive holds what its first run loaded, so only the long-running commands get one, each its own ($2).
# Prints the -XX flags, or nothing when there is no writable place for the archive (GATEWAY_CDS_DIR=off: none).
# The service gets CACHE_DIRECTORY from systemd (CacheDirectory=gateway).
cds_flags() {
  local jar="$1" name="$2" dir
  if [ -n "${GATEWAY_CDS_DIR:-}" ]; then dir="$GATEWAY_CDS_DIR"
  elif [ -n "${CACHE_DIRECTORY:-}" ]; then dir="$CACHE_DIRECTORY"
  elif [ -n "$INSTALLED" ]; then dir="${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/edge-gateway"
  else dir="$ROOT/gateway/launcher/target"
  fi
  [ "$dir" = "off" ] && return 0
  mkdir -p "$dir" 2>/dev/null && [ -w "$dir" ] || return 0
  local archive; archive="$dir/$name-java$(java_major "$JAVA")-$(stat -c %s-%Y "$jar").jsa"
  local old
  for old in "$dir/$name"-java*.jsa; do
    [ -e "$old" ] && [ "$old" != "$archive" ] && rm -f "$old"
  done
  echo "-XX:SharedArchiveFile=$archive -XX:+AutoCreateSharedArchive -Xlog:cds=off -Xlog:cds+dynamic=off"
}

# Flags of the appliance's set that only some JDKs take, for $JAVA. Compact object headers (JEP 519) make each
# object 4 bytes smaller: at 500 meters x 30 points 6-7 MB less RSS at the same CPU (README, "Memory and JVM
# flags"). A product flag from JDK 25; JDK 24 has it experimental and JDK 21 does not know it, so not in jvm.options.
jdk_flags() {
  local v; v="$(java_major "$JAVA")"
  [ "${v:-0}" -ge 25 ] && echo "-XX:+UseCompactObjectHeaders"
  return 0
}

# The JVM flags every program here runs with: bin/lib/jvm.options and jdk_flags, class-data sharing for the jar $1
# when $2 names its archive, then GATEWAY_JAVA_OPTS.
jvm_flags() {
  echo "@$ROOT/bin/lib/jvm.options $(jdk_flags) ${2:+$(cds_flags "$1" "$2")} ${GATEWAY_JAVA_OPTS:-}"
}

run_jar() {
  local jar="$1"; shift
  ensure_built "$jar"
  find_java
  local archive=""
  [ "$jar" = "$GATEWAY_JAR" ] && case "${1:-}" in run|demo) archive="gateway-$1" ;; esac
  # shellcheck disable=SC2046  # the flags are words, split on purpose
  exec "$JAVA" $(jvm_flags "$jar" "$archive") -jar "$jar" "$@"
}
