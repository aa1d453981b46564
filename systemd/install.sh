#!/usr/bin/env bash
# Installs the edge gateway from this source tree as a systemd service, without a .deb:
#   /opt/gateway/{gateway.jar,simulator.jar,lib/,bin/}   the jars and the launchers (replaced on every run)
#   /etc/systemd/system/gateway.service                  the unit (+ gateway-simulator@.service, not enabled)
#   /etc/gateway/gateway.yaml                            the example config, only if there is none yet
#   /etc/gateway/hes.token                               a random access token, only if there is none yet
#   /var/lib/gateway                                     the state directory
# and the system user gateway (group dialout), then enables the service. Running it again changes nothing
# but the installed program files. See --help.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: sudo systemd/install.sh [--start] [--root DIR] [--no-systemctl] [--no-build]

  --start         start (or restart) the service when done; without it the service is only enabled
  --root DIR      install below DIR instead of / (an image, or a test); no running systemd is asked
                  anything, the unit is enabled with `systemctl --root DIR` (symlinks only)
  --no-systemctl  do not run systemctl at all (no enable, no reload, no start)
  --no-build      fail instead of running Maven when the jars are not built
  --help          this text

Needs a Java runtime >= 21 on this machine (JAVA_HOME, PATH or /usr/lib/jvm), and refuses without one.
Builds the jars with `mvn -B -q -DskipTests package` when they are missing.
EOF
}

START=""
DEST=""
SYSTEMCTL=1
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --start) START=1 ;;
    --root) [ $# -ge 2 ] || { echo "install.sh: --root needs a directory" >&2; exit 2; }
            DEST="$2"; shift ;;
    --root=*) DEST="${1#--root=}" ;;
    --no-systemctl) SYSTEMCTL="" ;;
    --no-build) BUILD="" ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { echo "install.sh: $*"; }
die() { echo "install.sh: $1" >&2; exit "${2:-1}"; }

if [ -z "$DEST" ] && [ "$(id -u)" -ne 0 ]; then
  die "run as root (sudo), or give --root DIR" 1
fi

# 1. Java >= 21, with the launcher's own search, before anything is touched. With --root this still checks
#    this machine: the one that will run the service.
if ! JAVA="$(source "$SRC/bin/lib/launch.sh" && find_java && echo "$JAVA")"; then
  die "refusing to install: the service needs a Java runtime >= 21 (Debian 13 / Raspberry Pi OS trixie: apt-get install openjdk-21-jre-headless; see README \"Install on a Raspberry Pi\")" 3
fi
say "Java: $JAVA"
if [ -n "$DEST" ]; then
  DEST="$(mkdir -p "$DEST" && cd "$DEST" && pwd)"
  [ "$DEST" = / ] && DEST=""
fi

# 2. The jars, built if missing.
GATEWAY_JAR="$SRC/gateway/launcher/target/gateway.jar"
SIMULATOR_JAR="$SRC/gateway/launcher/target/gateway-simulator.jar"
LIB_DIR="$SRC/gateway/launcher/target/lib"
built() { [ -f "$GATEWAY_JAR" ] && [ -f "$SIMULATOR_JAR" ] && compgen -G "$LIB_DIR/*.jar" >/dev/null; }
if ! built; then
  [ -n "$BUILD" ] || die "the jars are not built: run 'mvn -B -DskipTests package' in $SRC first" 1
  command -v mvn >/dev/null 2>&1 || die "the jars are not built and Maven is missing: install maven, or build elsewhere and copy the tree" 1
  say "building the jars (mvn -B -q -DskipTests package; a few minutes on a Pi)..."
  (cd "$SRC" && mvn -B -q -DskipTests package) || die "build failed" 1
  built || die "build finished but $GATEWAY_JAR or $LIB_DIR is missing" 1
fi

command -v systemd-sysusers >/dev/null 2>&1 || die "systemd-sysusers is missing: this installs a systemd service (apt-get install systemd)" 1

# 3. User and group: gateway, in dialout for the serial adapters (idempotent by design of sysusers).
install -d -m 0755 "$DEST/etc/sysusers.d"
install -m 0644 "$SRC/systemd/gateway.sysusers" "$DEST/etc/sysusers.d/gateway.conf"
systemd-sysusers ${DEST:+--root="$DEST"} "$DEST/etc/sysusers.d/gateway.conf"
GW_UID="$(awk -F: '$1 == "gateway" { print $3 }' "$DEST/etc/passwd")"
GW_GID="$(awk -F: '$1 == "gateway" { print $3 }' "$DEST/etc/group")"
[ -n "$GW_UID" ] && [ -n "$GW_GID" ] || die "user gateway was not created in $DEST/etc/passwd" 1

# 4. Program files. lib/ is rebuilt beside the old one and swapped in, so jars of older versions go away.
OPT="$DEST/opt/gateway"
install -d -m 0755 "$OPT" "$OPT/bin" "$OPT/bin/lib"
rm -rf "$OPT/lib.new"
install -d -m 0755 "$OPT/lib.new"
install -m 0644 "$LIB_DIR"/*.jar "$OPT/lib.new/"
rm -rf "$OPT/lib.old"
[ -d "$OPT/lib" ] && mv "$OPT/lib" "$OPT/lib.old"
mv "$OPT/lib.new" "$OPT/lib"
rm -rf "$OPT/lib.old"
install -m 0644 "$GATEWAY_JAR" "$OPT/gateway.jar"
install -m 0644 "$SIMULATOR_JAR" "$OPT/simulator.jar"
install -m 0755 "$SRC/bin/gateway" "$SRC/bin/simulator" "$OPT/bin/"
install -m 0644 "$SRC/bin/lib/launch.sh" "$SRC/bin/lib/jvm.options" "$OPT/bin/lib/"
install -m 0644 "$SRC/systemd/gateway.example.yaml" "$OPT/gateway.example.yaml"
say "installed $OPT"

# 5. Units (the local administrator's place; a .deb puts them in /lib/systemd/system).
install -d -m 0755 "$DEST/etc/systemd/system"
install -m 0644 "$SRC/systemd/gateway.service" "$SRC/systemd/gateway-simulator@.service" "$DEST/etc/systemd/system/"

# 6. Config: written once, never overwritten; readable by the service's group only (it may hold secrets).
install -d -m 0750 -o 0 -g "$GW_GID" "$DEST/etc/gateway"
CONFIG="$DEST/etc/gateway/gateway.yaml"
if [ -e "$CONFIG" ]; then
  say "kept $CONFIG (the current example is $OPT/gateway.example.yaml)"
else
  install -m 0640 -o 0 -g "$GW_GID" "$SRC/systemd/gateway.example.yaml" "$CONFIG"
  say "wrote the example config $CONFIG: replace its example meters with yours"
fi
chown "0:$GW_GID" "$CONFIG"
chmod 0640 "$CONFIG"
TOKEN="$DEST/etc/gateway/hes.token"
if [ ! -e "$TOKEN" ]; then
  (umask 0027; od -An -N16 -tx1 /dev/urandom | tr -d ' \n' > "$TOKEN"; echo >> "$TOKEN")
  chown "0:$GW_GID" "$TOKEN"
  say "made a random access token in $TOKEN (security.tokens in the config)"
fi

# 7. State directory (systemd's StateDirectory= keeps it owned by the service user from then on).
install -d -m 0750 -o "$GW_UID" -g "$GW_GID" "$DEST/var/lib/gateway"

# 8. systemd.
if [ -z "$SYSTEMCTL" ]; then
  say "not running systemctl (--no-systemctl): systemctl daemon-reload && systemctl enable --now gateway"
elif [ -n "$DEST" ]; then
  systemctl --root="$DEST" enable gateway.service >/dev/null 2>&1
  say "enabled gateway.service in $DEST"
elif [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  systemctl enable gateway.service >/dev/null 2>&1
  if [ -n "$START" ]; then
    systemctl restart gateway.service
    say "started: systemctl status gateway; journalctl -u gateway -f"
  else
    say "enabled; start it with: systemctl start gateway"
  fi
else
  systemctl enable gateway.service >/dev/null 2>&1 || true
  say "systemd is not running here: enabled for the next boot only"
fi
say "check the config with: $OPT/bin/gateway check-config $CONFIG"
