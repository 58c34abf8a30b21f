#!/usr/bin/env bash
# A local Neo4j 5.26 Community built from Maven Central jars (no Docker, no tarball).
# usage: neo4j-server/server.sh fetch|start|wait|stop|status|reset
#   fetch   resolve the jars into $NEO4J_DIR/lib-<version> (Maven's cache stays ~/.m2)
#   start   render the conf and start the server in the background (no-op if running)
#   wait    block until a Bolt query answers (NEO4J_WAIT_SECONDS, default 300)
#   stop    TERM the server by its pid, KILL after NEO4J_STOP_SECONDS (default 60)
#   status  exit 0 if running
#   reset   stop and delete the database files and logs
# env: NEO4J_BOLT_PORT (7687) NEO4J_HTTP_PORT (7474) NEO4J_HEAP (768m) NEO4J_PAGECACHE (256m)
#      NEO4J_VERSION (pom's) NEO4J_DIR (<repo>/.neo4j)
#      NEO4J_PASSWORD (unset: generated once into $NEO4J_DIR/password, mode 0600; auth is always on)
#      NEO4J_TX_MAX (64m) NEO4J_TX_TOTAL (256m): heap one transaction / all transactions may hold
#      CAPGRAPH_API_URL (http://127.0.0.1:8000)
#      NEO4J_BROWSER_REMOTE_HOSTS (127.0.0.1,localhost) JAVA (java) PYTHON (<repo>/.venv/bin/python)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
POM="$HERE/pom.xml"

default_version() {
  sed -n 's:.*<neo4j.version>\(.*\)</neo4j.version>.*:\1:p' "$POM" | head -n 1
}

NEO4J_DIR="${NEO4J_DIR:-$ROOT/.neo4j}"
NEO4J_VERSION="${NEO4J_VERSION:-$(default_version)}"
LIB="$NEO4J_DIR/lib-$NEO4J_VERSION"
HOME_DIR="$NEO4J_DIR/home"
CONF_DIR="$HOME_DIR/conf"
PIDFILE="$NEO4J_DIR/server.pid"
CONSOLE_LOG="$NEO4J_DIR/console.log"
BOLT_PORT="${NEO4J_BOLT_PORT:-7687}"
HTTP_PORT="${NEO4J_HTTP_PORT:-7474}"
HEAP="${NEO4J_HEAP:-768m}"
PAGECACHE="${NEO4J_PAGECACHE:-256m}"
TX_MAX="${NEO4J_TX_MAX:-64m}"
TX_TOTAL="${NEO4J_TX_TOTAL:-256m}"
PASSWORD_FILE="$NEO4J_DIR/password"
JAVA="${JAVA:-java}"
API_URL="${CAPGRAPH_API_URL:-http://127.0.0.1:8000}"
REMOTE_HOSTS="${NEO4J_BROWSER_REMOTE_HOSTS:-127.0.0.1,localhost}"
WAIT_SECONDS="${NEO4J_WAIT_SECONDS:-300}"
STOP_SECONDS="${NEO4J_STOP_SECONDS:-60}"
MAVEN_DEP_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.6.1"

if [[ -z "${PYTHON:-}" ]]; then
  VENV_DIR="${CAPGRAPH_VENV:-$ROOT/.venv}"
  if [[ -x "$VENV_DIR/bin/python" ]]; then PYTHON="$VENV_DIR/bin/python"; else PYTHON="python3"; fi
fi

log() { echo "neo4j-server/server.sh: $*" >&2; }

die() {
  log "$*"
  if [[ -f "$CONSOLE_LOG" ]]; then
    log "last lines of $CONSOLE_LOG:"
    tail -n 60 "$CONSOLE_LOG" >&2
  fi
  if [[ -f "$HOME_DIR/logs/debug.log" ]]; then
    log "last errors in $HOME_DIR/logs/debug.log:"
    grep -E 'ERROR|Exception' "$HOME_DIR/logs/debug.log" | tail -n 20 >&2 || true
  fi
  exit 1
}

fetch() {
  if [[ -f "$LIB/.complete" ]]; then
    log "jars for Neo4j $NEO4J_VERSION already in $LIB"
    return 0
  fi
  command -v mvn >/dev/null || die "mvn not found (Maven 3 is needed to fetch the jars)"
  log "resolving Neo4j $NEO4J_VERSION jars from Maven Central into $LIB ..."
  local tmp="$LIB.partial" t0=$SECONDS
  rm -rf "$tmp"
  mkdir -p "$tmp"
  mvn -B -q -Dstyle.color=never -f "$POM" -Dneo4j.version="$NEO4J_VERSION" \
    "$MAVEN_DEP_PLUGIN:copy-dependencies" \
    -DoutputDirectory="$tmp" -DincludeScope=runtime \
    || { rm -rf "$tmp"; die "mvn could not resolve Neo4j $NEO4J_VERSION"; }
  compgen -G "$tmp/neo4j-browser-*.jar" >/dev/null || { rm -rf "$tmp"; die "browser jar missing"; }
  compgen -G "$tmp/neo4j-$NEO4J_VERSION.jar" >/dev/null || { rm -rf "$tmp"; die "neo4j-$NEO4J_VERSION.jar missing"; }
  touch "$tmp/.complete"
  rm -rf "$LIB"
  mv "$tmp" "$LIB"
  log "fetched $(find "$LIB" -name '*.jar' | wc -l) jars ($(du -sh "$LIB" | cut -f1)) in $((SECONDS - t0))s"
}

# The capgraph style as JSON: the Browser's :style accepts JSON, which, unlike GraSS text,
# has no ';' that would split browser.post_connect_cmd into several commands.
grass_json() {
  "$PYTHON" - "$ROOT/capgraph/api/static/browser/capgraph.grass" <<'PY'
import json, re, sys
text = re.sub(r"/\*.*?\*/", "", open(sys.argv[1], encoding="utf-8").read(), flags=re.S)
# quoted values may hold braces ('{name}'), so split rules outside quotes only
sheet, selector, body, quote, inside = {}, "", "", "", False
for ch in text:
    if quote:
        quote = "" if ch == quote else quote
        body += ch
    elif ch in "'\"" and inside:
        quote = ch
        body += ch
    elif ch == "{" and not inside:
        inside = True
    elif ch == "}" and inside:
        props = {}
        for decl in re.split(r";(?=(?:[^'\"]*['\"][^'\"]*['\"])*[^'\"]*$)", body):
            if ":" in decl:
                key, value = decl.split(":", 1)
                props[key.strip()] = value.strip().strip("'\"")
        sheet[selector.strip()] = props
        selector, body, inside = "", "", False
    elif inside:
        body += ch
    else:
        selector += ch
print(json.dumps(sheet, separators=(",", ":")))
PY
}

write_conf() {
  mkdir -p "$CONF_DIR" "$HOME_DIR"/{data,logs,run,plugins,import}
  local style cmd
  style="$(grass_json)" || die "could not convert capgraph/api/static/browser/capgraph.grass (PYTHON=$PYTHON)"
  cmd="style $style; guide $API_URL/browser/guide.html"
  local line out=()
  while IFS= read -r line || [[ -n "$line" ]]; do
    line="${line//@BOLT_PORT@/$BOLT_PORT}"
    line="${line//@HTTP_PORT@/$HTTP_PORT}"
    line="${line//@HOME_DIR@/$HOME_DIR}"
    line="${line//@PAGECACHE@/$PAGECACHE}"
    line="${line//@TX_MAX@/$TX_MAX}"
    line="${line//@TX_TOTAL@/$TX_TOTAL}"
    line="${line//@REMOTE_HOSTS@/$REMOTE_HOSTS}"
    line="${line//@POST_CONNECT_CMD@/$cmd}"
    out+=("$line")
  done < "$HERE/neo4j.conf.template"
  printf '%s\n' "${out[@]}" > "$CONF_DIR/neo4j.conf"
}

pid() { cat "$PIDFILE" 2>/dev/null || true; }

running() {
  local p
  p="$(pid)"
  [[ -n "$p" ]] && kill -0 "$p" 2>/dev/null
}

resolve_password() {
  # Auth is always on. The password is NEO4J_PASSWORD, else the one generated here on first use
  # (readable by this user only); capgraph reads it through CAPGRAPH_NEO4J_PASSWORD_FILE.
  if [[ -n "${NEO4J_PASSWORD:-}" ]]; then
    return 0
  fi
  # `--` before the password: a generated (or chosen) password may start with "-" (base64 of "+" is mapped
  # to "-"), which the admin tool would otherwise read as an option and refuse.
  if [[ ! -s "$PASSWORD_FILE" ]]; then
    mkdir -p "$NEO4J_DIR"
    (umask 077 && head -c 24 /dev/urandom | base64 | tr '+/' '-_' > "$PASSWORD_FILE")
    log "generated the password of user neo4j into $PASSWORD_FILE (mode 0600);" \
      "point capgraph at it with CAPGRAPH_NEO4J_PASSWORD_FILE=$PASSWORD_FILE"
  fi
  NEO4J_PASSWORD="$(cat "$PASSWORD_FILE")"
  export NEO4J_PASSWORD
}

set_initial_password() {
  # Only takes effect before the system database exists; later runs keep the stored password.
  local stamp="$HOME_DIR/data/.capgraph-auth"
  if [[ -d "$HOME_DIR/data/databases/system" ]]; then
    [[ -f "$stamp" ]] && return 0
    die "the database in $HOME_DIR was created without a password; '$0 reset' deletes it" \
      "(capgraph sync rebuilds the graph from the embedded store)"
  fi
  NEO4J_HOME="$HOME_DIR" NEO4J_CONF="$CONF_DIR" "$JAVA" -cp "$LIB/*" org.neo4j.cli.AdminTool \
    dbms set-initial-password -- "$NEO4J_PASSWORD" >&2 || die "set-initial-password failed"
  touch "$stamp"
}

port_busy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
  if running; then
    log "already running (pid $(pid), bolt://127.0.0.1:$BOLT_PORT)"
    return 0
  fi
  rm -f "$PIDFILE"
  fetch
  for port in "$BOLT_PORT" "$HTTP_PORT"; do
    port_busy "$port" && die "port $port on 127.0.0.1 is taken by another process"
  done
  write_conf
  resolve_password
  set_initial_password
  # We run the entry point directly (what bin/neo4j's bootloader spawns), so the JVM flags
  # the bootloader would add are ours to pass. The --add-opens keep vector index population
  # from stalling.
  nohup "$JAVA" -Xms"$HEAP" -Xmx"$HEAP" \
    -XX:+UseG1GC -XX:-OmitStackTraceInFastThrow -XX:+DisableExplicitGC \
    -XX:+ExitOnOutOfMemoryError \
    -Djdk.nio.maxCachedBufferSize=1024 -Dio.netty.tryReflectionSetAccessible=true \
    --add-opens=java.base/java.nio=ALL-UNNAMED \
    --add-opens=java.base/java.io=ALL-UNNAMED \
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
    -Dlog4j2.disable.jmx=true \
    -cp "$LIB/*" org.neo4j.server.CommunityEntryPoint \
    --home-dir "$HOME_DIR" --config-dir "$CONF_DIR" \
    > "$CONSOLE_LOG" 2>&1 < /dev/null &
  echo $! > "$PIDFILE"
  log "started pid $! (bolt://127.0.0.1:$BOLT_PORT, http://127.0.0.1:$HTTP_PORT/browser/, log $CONSOLE_LOG)"
}

bolt_ping() {
  "$PYTHON" - "$BOLT_PORT" <<'PY'
import os, sys
from neo4j import GraphDatabase
pw = os.environ.get("NEO4J_PASSWORD")
auth = ("neo4j", pw) if pw else None
with GraphDatabase.driver(f"bolt://127.0.0.1:{sys.argv[1]}", auth=auth, connection_timeout=2) as d:
    d.execute_query("RETURN 1")
PY
}

wait_ready() {
  if [[ -z "${NEO4J_PASSWORD:-}" && -s "$PASSWORD_FILE" ]]; then
    NEO4J_PASSWORD="$(cat "$PASSWORD_FILE")"
    export NEO4J_PASSWORD
  fi
  "$PYTHON" -c 'import neo4j' 2>/dev/null \
    || die "the neo4j driver is not importable by $PYTHON (pip install neo4j, or set PYTHON)"
  local t0=$SECONDS
  while (( SECONDS - t0 < WAIT_SECONDS )); do
    if bolt_ping 2>/dev/null; then
      log "ready: bolt://127.0.0.1:$BOLT_PORT answered after $((SECONDS - t0))s of waiting"
      return 0
    fi
    if [[ -f "$PIDFILE" ]] && ! running; then
      die "the server (pid $(pid)) exited during startup"
    fi
    sleep 1
  done
  die "no Bolt answer on 127.0.0.1:$BOLT_PORT within ${WAIT_SECONDS}s"
}

stop() {
  if ! running; then
    rm -f "$PIDFILE"
    log "not running"
    return 0
  fi
  local p i
  p="$(pid)"
  log "stopping pid $p"
  kill -TERM "$p" 2>/dev/null || true
  for ((i = 0; i < STOP_SECONDS; i++)); do
    kill -0 "$p" 2>/dev/null || break
    sleep 1
  done
  if kill -0 "$p" 2>/dev/null; then
    log "pid $p ignored TERM for ${STOP_SECONDS}s; sending KILL"
    kill -KILL "$p" 2>/dev/null || true
  fi
  rm -f "$PIDFILE"
  log "stopped"
}

status() {
  if running; then
    echo "running (pid $(pid), bolt://127.0.0.1:$BOLT_PORT, http://127.0.0.1:$HTTP_PORT)"
  else
    echo "stopped"
    return 1
  fi
}

reset() {
  stop
  rm -rf "$HOME_DIR/data" "$HOME_DIR/logs" "$HOME_DIR/run" "$CONSOLE_LOG"
  log "database files removed"
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  wait) wait_ready ;;
  stop) stop ;;
  status) status ;;
  reset) reset ;;
  *) echo "usage: $0 fetch|start|wait|stop|status|reset" >&2; exit 2 ;;
esac
