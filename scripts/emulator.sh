#!/usr/bin/env bash
# Start and stop the real Cognito emulators mfaconform is checked against,
# on loopback only, on a free port.
#
#   scripts/emulator.sh install NAME        install NAME if missing (idempotent)
#   scripts/emulator.sh start NAME STATEDIR start NAME; prints "URL PIDFILE"
#   scripts/emulator.sh stop PIDFILE        stop exactly the process started
#   scripts/emulator.sh run NAME -- CMD...  start NAME, run CMD with
#                                           MFACONFORM_ENDPOINT set, stop NAME
#                                           (also on failure or interrupt);
#                                           exits with CMD's status
#
# NAME is moto (moto 5.2.1, Python) or cognito-local (cognito-local 5.3.0,
# Node.js). Installs go under the repository's .cache/ (git-ignored) unless
# the machine already has the pinned version. Environment:
#   MFACONFORM_COGNITO_LOCAL_DIR  a prepared npm prefix holding cognito-local
#   EMULATOR_WAIT                 seconds to wait for the port (default 60)
set -euo pipefail

MOTO_VERSION=5.2.1
COGNITO_LOCAL_VERSION=5.3.0
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="$ROOT/.cache"
WAIT="${EMULATOR_WAIT:-60}"

die() { echo "emulator.sh: $*" >&2; exit 2; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

moto_pythonpath() {
  # The machine's moto when it is the pinned version, else a private copy.
  if python3 -c "import moto,sys; sys.exit(moto.__version__!='$MOTO_VERSION')" 2>/dev/null; then
    echo ""
  else
    echo "$CACHE/moto-$MOTO_VERSION"
  fi
}

cognito_local_dir() { echo "${MFACONFORM_COGNITO_LOCAL_DIR:-$CACHE/cognito-local-$COGNITO_LOCAL_VERSION}"; }

install() {
  case "$1" in
  moto)
    local pp; pp="$(moto_pythonpath)"
    if [ -n "$pp" ] && ! PYTHONPATH="$pp" python3 -c "import moto,sys; sys.exit(moto.__version__!='$MOTO_VERSION')" 2>/dev/null; then
      echo "emulator.sh: installing moto $MOTO_VERSION into $pp" >&2
      mkdir -p "$pp"
      python3 -m pip install --quiet --disable-pip-version-check --target "$pp" "moto[server]==$MOTO_VERSION" >&2
    fi
    ;;
  cognito-local)
    local dir; dir="$(cognito_local_dir)"
    if ! grep -q "\"version\": \"$COGNITO_LOCAL_VERSION\"" "$dir/node_modules/cognito-local/package.json" 2>/dev/null; then
      echo "emulator.sh: installing cognito-local $COGNITO_LOCAL_VERSION into $dir" >&2
      mkdir -p "$dir"
      npm install --silent --no-audit --no-fund --prefix "$dir" "cognito-local@$COGNITO_LOCAL_VERSION" >&2
    fi
    ;;
  *) die "unknown emulator '$1' (moto, cognito-local)" ;;
  esac
}

# wait_port PID PORT: until the port accepts a connection, bounded, and
# only while the process lives.
wait_port() {
  local pid=$1 port=$2 deadline=$((SECONDS + WAIT))
  while [ $SECONDS -lt $deadline ]; do
    kill -0 "$pid" 2>/dev/null || return 1
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  return 1
}

start() {
  local name=$1 state=$2 port pid
  install "$name"
  mkdir -p "$state"
  port="$(free_port)"
  case "$name" in
  moto)
    local pp; pp="$(moto_pythonpath)"
    PYTHONPATH="$pp${PYTHONPATH:+:$PYTHONPATH}" MOTO_COGNITO_IDP_USER_POOL_ID_STRATEGY=HASH \
      python3 -m moto.server -H 127.0.0.1 -p "$port" >"$state/emulator.log" 2>&1 &
    pid=$!
    ;;
  cognito-local)
    local dir; dir="$(cognito_local_dir)"
    # It writes ./.cognito/db/*.json: a working folder of its own.
    (cd "$state" && HOST=127.0.0.1 PORT="$port" exec node "$dir/node_modules/cognito-local/lib/bin/start.js") \
      >"$state/emulator.log" 2>&1 &
    pid=$!
    ;;
  *) die "unknown emulator '$name' (moto, cognito-local)" ;;
  esac
  echo "$pid" >"$state/emulator.pid"
  if ! wait_port "$pid" "$port"; then
    stop "$state/emulator.pid"
    tail -20 "$state/emulator.log" >&2 || true
    die "$name did not answer on 127.0.0.1:$port within ${WAIT}s"
  fi
  echo "http://127.0.0.1:$port $state/emulator.pid"
}

stop() {
  local pidfile=$1 pid
  [ -f "$pidfile" ] || return 0
  pid="$(cat "$pidfile")"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

run() {
  local name=$1; shift
  [ "${1:-}" = "--" ] && shift
  [ $# -gt 0 ] || die "run $name: no command"
  # Global, not local: the EXIT trap runs after run has returned.
  RUN_STATE="$(mktemp -d "${TMPDIR:-/tmp}/mfaconform-$name.XXXXXX")"
  local started url pidfile
  trap 'stop "$RUN_STATE/emulator.pid"; rm -rf "$RUN_STATE"' EXIT
  trap 'exit 130' INT TERM
  started="$(start "$name" "$RUN_STATE")"
  read -r url pidfile <<<"$started"
  echo "emulator.sh: $name at $url (pid $(cat "$pidfile"))" >&2
  local rc=0
  MFACONFORM_ENDPOINT="$url" "$@" || rc=$?
  return $rc
}

case "${1:-}" in
install) [ $# -eq 2 ] || die "usage: $0 install NAME"; install "$2" ;;
start) [ $# -eq 3 ] || die "usage: $0 start NAME STATEDIR"; start "$2" "$3" ;;
stop) [ $# -eq 2 ] || die "usage: $0 stop PIDFILE"; stop "$2" ;;
run) [ $# -ge 3 ] || die "usage: $0 run NAME -- CMD..."; shift; run "$@" ;;
*) die "usage: $0 install|start|stop|run ..." ;;
esac
