# shellcheck shell=bash
# Shared functions for ./affnet and scripts/*.sh. Source it; it defines functions and defaults only.

AFFNET_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
AFFNET_STATE="$AFFNET_ROOT/.affnet"

: "${AFFNET_PORT:=8080}"
: "${AFFNET_DB_HOST:=127.0.0.1}"
: "${AFFNET_DB_PORT:=5432}"
: "${AFFNET_DB_USER:=postgres}"
: "${AFFNET_DB_PASSWORD:=}"
: "${AFFNET_REDIS_HOST:=127.0.0.1}"
: "${AFFNET_REDIS_PORT:=6379}"
: "${AFFNET_ES_PORT:=9200}"
: "${AFFNET_ES_TRANSPORT_PORT:=$((AFFNET_ES_PORT + 100))}"
: "${AFFNET_ES_VERSION:=8.19.21}"
: "${AFFNET_ES_HEAP:=512m}"
: "${AFFNET_ES_WAIT:=90}"
AFFNET_ES_USER=affnet-es
AFFNET_ES_SYSTEM_DIR=/var/lib/affnet-es
AFFNET_DATABASES="affnet affnet_test"

log() { printf '%s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# measure_in_test_jvm NAME PROGRESS_PATTERN MAVEN_ARGS...: runs a platform test class that writes
# platform/target/NAME.txt (an eval or bench) through ./affnet test (its own database), with Maven's output in
# platform/target/NAME.log; prints the log's lines matching PROGRESS_PATTERN to stderr, then NAME.txt (whose
# last line is the figures), and exits with Maven's exit code.
measure_in_test_jvm() {
  local name=$1 pattern=$2
  shift 2
  local out=platform/target/$name.log result=platform/target/$name.txt status=0
  mkdir -p platform/target
  rm -f "$result"
  ./affnet test -q -pl platform -am -Dsurefire.failIfNoSpecifiedTests=false -Daffnet.payout-flow.skip=true -Dlogging.level.root=WARN "$@" >"$out" 2>&1 || status=$?
  [ -f "$result" ] || { tail -n 40 "$out" >&2; die "$name did not finish (full output: $out)"; }
  grep -aE "$pattern" "$out" >&2 || true
  cat "$result"
  exit "$status"
}

is_root() { [ "$(id -u)" -eq 0 ]; }

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if is_root; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root for: $* (no sudo on this machine)"
  fi
}

_apt_updated=
apt_install() {
  command -v apt-get >/dev/null 2>&1 \
    || die "cannot install $* : no apt-get here (install it by hand, then re-run)"
  if [ -z "$_apt_updated" ]; then
    log "apt: updating package lists"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    _apt_updated=1
  fi
  log "apt: installing $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# need_cmd COMMAND [DEBIAN_PACKAGE]: installs the package when the command is missing.
need_cmd() {
  command -v "$1" >/dev/null 2>&1 || apt_install "${2:-$1}"
  command -v "$1" >/dev/null 2>&1 || die "$1 still missing after installing ${2:-$1}"
}

# port_open HOST PORT: true when something accepts TCP connections there.
port_open() {
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}

# wait_until SECONDS COMMAND...: polls once a second.
wait_until() {
  local limit=$1 i=0
  shift
  until "$@"; do
    i=$((i + 1))
    [ "$i" -ge "$limit" ] && return 1
    sleep 1
  done
}

# ---------------------------------------------------------------- PostgreSQL

pg_ready() {
  command -v pg_isready >/dev/null 2>&1 \
    && pg_isready -q -h "$AFFNET_DB_HOST" -p "$AFFNET_DB_PORT" >/dev/null 2>&1
}

pg_cluster_version() {
  ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1
}

pg_start_cluster() {
  local v
  v=$(pg_cluster_version)
  [ -n "$v" ] || return 1
  as_root pg_ctlcluster --skip-systemctl-redirect "$v" main start >/dev/null 2>&1 || true
  wait_until 30 pg_ready
}

# Only for a PostgreSQL this script installed itself: let local TCP clients in without a password,
# as on the project's machines (trust auth on 127.0.0.1).
pg_trust_localhost() {
  local v hba
  v=$(pg_cluster_version)
  hba=/etc/postgresql/$v/main/pg_hba.conf
  [ -f "$hba" ] || return 0
  grep -q '^# affnet: trust localhost' "$hba" && return 0
  as_root sh -c "printf '%s\n' '# affnet: trust localhost' 'host all all 127.0.0.1/32 trust' 'host all all ::1/128 trust' | cat - '$hba' > '$hba.affnet' && cat '$hba.affnet' > '$hba' && rm -f '$hba.affnet'"
  as_root pg_ctlcluster --skip-systemctl-redirect "$v" main reload >/dev/null 2>&1 || true
  log "postgres: $hba now trusts 127.0.0.1 and ::1 (dev set-up)"
}

pg_psql() {
  PGPASSWORD="$AFFNET_DB_PASSWORD" psql -h "$AFFNET_DB_HOST" -p "$AFFNET_DB_PORT" -U "$AFFNET_DB_USER" -d postgres "$@"
}

pg_ensure_db() {
  local db=$1 out
  if ! out=$(pg_psql -Atc "select 1 from pg_database where datname='$db'" 2>&1); then
    die "postgres: cannot connect as $AFFNET_DB_USER to $AFFNET_DB_HOST:$AFFNET_DB_PORT: $out (set AFFNET_DB_USER / AFFNET_DB_PASSWORD)"
  fi
  if [ "$out" != 1 ]; then
    PGPASSWORD="$AFFNET_DB_PASSWORD" createdb -h "$AFFNET_DB_HOST" -p "$AFFNET_DB_PORT" -U "$AFFNET_DB_USER" "$db"
    log "postgres: created database $db"
  fi
}

pg_up() {
  local how
  if pg_ready; then
    how=reused
  elif [ -n "$(pg_cluster_version)" ] && command -v pg_ctlcluster >/dev/null 2>&1 && pg_start_cluster; then
    how=started
  else
    if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(pg_cluster_version)" ]; then
      apt_install postgresql
      pg_trust_localhost
    fi
    pg_ready || pg_start_cluster \
      || die "postgres: not answering on $AFFNET_DB_HOST:$AFFNET_DB_PORT (see /var/log/postgresql/)"
    how=installed
  fi
  local db
  for db in $AFFNET_DATABASES; do pg_ensure_db "$db"; done
  log "postgres: up ($how) $AFFNET_DB_HOST:$AFFNET_DB_PORT, databases: $AFFNET_DATABASES"
}

pg_status() {
  if pg_ready; then
    log "postgres: up $AFFNET_DB_HOST:$AFFNET_DB_PORT"
  else
    log "postgres: down $AFFNET_DB_HOST:$AFFNET_DB_PORT"
    return 1
  fi
}

# --------------------------------------------------------------------- Redis

redis_ready() {
  command -v redis-cli >/dev/null 2>&1 \
    && [ "$(redis-cli -h "$AFFNET_REDIS_HOST" -p "$AFFNET_REDIS_PORT" ping 2>/dev/null)" = PONG ]
}

redis_start() {
  local dir logfile
  if is_root; then
    dir=/var/lib/redis
    logfile=/var/log/redis/ci.log
  else
    dir=$AFFNET_STATE/redis
    logfile=$AFFNET_STATE/redis/redis.log
  fi
  mkdir -p "$dir" "$(dirname "$logfile")"
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$AFFNET_REDIS_PORT" --save "" \
    --appendonly no --dir "$dir" --logfile "$logfile" >/dev/null
  wait_until 15 redis_ready || die "redis: did not answer PING after start (see $logfile)"
}

redis_up() {
  local how
  if redis_ready; then
    how=reused
  else
    [ "$AFFNET_REDIS_HOST" = 127.0.0.1 ] || [ "$AFFNET_REDIS_HOST" = localhost ] \
      || die "redis: $AFFNET_REDIS_HOST:$AFFNET_REDIS_PORT does not answer and is not local"
    if command -v redis-server >/dev/null 2>&1; then
      how=started
    else
      apt_install redis-server
      how=installed
    fi
    # A package install may have started its own server already.
    redis_ready || redis_start
  fi
  log "redis: up ($how) $AFFNET_REDIS_HOST:$AFFNET_REDIS_PORT"
}

redis_status() {
  if redis_ready; then
    log "redis: up $AFFNET_REDIS_HOST:$AFFNET_REDIS_PORT"
  else
    log "redis: down $AFFNET_REDIS_HOST:$AFFNET_REDIS_PORT"
    return 1
  fi
}

# ------------------------------------------------------------- Elasticsearch
#
# The integ-test-zip from Maven Central, run by a plain user (Elasticsearch refuses root).
# Binaries: ES_HOME (read-only for the node). Instance: config/, data/, logs/, run/ (owned by the
# node's user). Both live in .affnet/ of this checkout when the node's user can reach it, else
# under /var/lib/affnet-es/ (a clone in root's home is not reachable by another user).

es_url() { printf 'http://127.0.0.1:%s' "$AFFNET_ES_PORT"; }

# es_health_status: prints green/yellow/red when something answers /_cluster/health.
es_health_status() {
  curl -s -m 3 "$(es_url)/_cluster/health" 2>/dev/null \
    | grep -o '"status":"[a-z]*"' | head -n 1 | cut -d'"' -f4
}

es_healthy() {
  case "$(es_health_status)" in green | yellow) return 0 ;; *) return 1 ;; esac
}

# True when every directory from $1 up to / can be entered by a user that is neither owner nor
# group member (the node's system user has no groups of ours).
others_can_traverse() {
  local d=$1
  while :; do
    [ -d "$d" ] || return 1
    [ -n "$(find "$d" -maxdepth 0 -perm -o+x 2>/dev/null)" ] || return 1
    [ "$d" = / ] && return 0
    d=$(dirname "$d")
  done
}

es_in_repo() {
  [ -z "${AFFNET_ES_DIR:-}" ] && { ! is_root || others_can_traverse "$AFFNET_ROOT"; }
}

es_home() {
  if [ -n "${AFFNET_ES_DIR:-}" ]; then
    printf '%s/elasticsearch-%s' "$AFFNET_ES_DIR" "$AFFNET_ES_VERSION"
  elif es_in_repo; then
    printf '%s/elasticsearch-%s' "$AFFNET_STATE" "$AFFNET_ES_VERSION"
  else
    printf '%s/elasticsearch-%s' "$AFFNET_ES_SYSTEM_DIR" "$AFFNET_ES_VERSION"
  fi
}

es_instance() {
  if [ -n "${AFFNET_ES_DIR:-}" ]; then
    printf '%s/es-%s' "$AFFNET_ES_DIR" "$AFFNET_ES_PORT"
  elif es_in_repo; then
    printf '%s/es-%s' "$AFFNET_STATE" "$AFFNET_ES_PORT"
  else
    printf '%s/%s-%s' "$AFFNET_ES_SYSTEM_DIR" \
      "$(printf '%s' "$AFFNET_ROOT" | sha1sum | cut -c1-12)" "$AFFNET_ES_PORT"
  fi
}

es_pidfile() { printf '%s/run/elasticsearch.pid' "$(es_instance)"; }
es_logfile() { printf '%s/logs/%s.log' "$(es_instance)" affnet-local; }

# es_pid: prints the pid of the node this checkout started, if it is alive.
es_pid() {
  local f pid
  f=$(es_pidfile)
  [ -f "$f" ] || return 1
  pid=$(cat "$f" 2>/dev/null)
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] \
    && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'org.elasticsearch' \
    && printf '%s' "$pid"
}

pid_gone() { ! kill -0 "$1" 2>/dev/null; }

es_run_as_user() {
  if is_root; then
    runuser -u "$AFFNET_ES_USER" -- "$@"
  else
    "$@"
  fi
}

es_ensure_user() {
  is_root || return 0
  id -u "$AFFNET_ES_USER" >/dev/null 2>&1 && return 0
  useradd -r -m -d "$AFFNET_ES_SYSTEM_DIR" -s /usr/sbin/nologin "$AFFNET_ES_USER"
  chmod 755 "$AFFNET_ES_SYSTEM_DIR"
  log "elasticsearch: created system user $AFFNET_ES_USER"
}

# A JDK the node's user can read: AFFNET_ES_JAVA_HOME, the zip's own jdk/ (this zip has none),
# Debian's OpenJDK 17, or the java on PATH.
es_java_home() {
  local home=$1 j
  if [ -n "${AFFNET_ES_JAVA_HOME:-}" ]; then
    printf '%s' "$AFFNET_ES_JAVA_HOME"
    return
  fi
  [ -x "$home/jdk/bin/java" ] && return 0
  for j in /usr/lib/jvm/java-17-openjdk-*; do
    [ -x "$j/bin/java" ] && { printf '%s' "$j"; return; }
  done
  j=$(command -v java) || die "elasticsearch: no java found (install openjdk-17-jdk-headless)"
  j=$(readlink -f "$j")
  printf '%s' "${j%/bin/java}"
}

es_install() {
  local home=$1 parent tmp zip
  [ -f "$home/.affnet-complete" ] && return 0
  need_cmd unzip
  need_cmd mvn maven
  parent=$(dirname "$home")
  mkdir -p "$parent"
  tmp=$(mktemp -d "$parent/.es-unpack.XXXXXX")
  log "elasticsearch: fetching org.elasticsearch.distribution.integ-test-zip:elasticsearch:$AFFNET_ES_VERSION:zip"
  if ! (cd "$tmp" && mvn -B -q -ntp dependency:copy \
    -Dartifact="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$AFFNET_ES_VERSION:zip" \
    -DoutputDirectory="$tmp" >"$tmp/mvn.out" 2>&1); then
    cat "$tmp/mvn.out" >&2
    rm -rf "$tmp"
    die "elasticsearch: maven could not fetch the distribution"
  fi
  zip=$tmp/elasticsearch-$AFFNET_ES_VERSION.zip
  unzip -q "$zip" -d "$tmp" || { rm -rf "$tmp"; die "elasticsearch: could not unpack $zip"; }
  rm -rf "$home"
  mv "$tmp/elasticsearch-$AFFNET_ES_VERSION" "$home"
  rm -rf "$tmp"
  chmod -R a+rX "$home"
  touch "$home/.affnet-complete"
  log "elasticsearch: unpacked into $home"
}

# Instance dirs under /var/lib/affnet-es whose checkout is gone and whose node is not running.
es_prune_orphans() {
  local d repo pid
  for d in "$AFFNET_ES_SYSTEM_DIR"/*-[0-9]*; do
    [[ ${d##*/} =~ ^[0-9a-f]{12}-[0-9]+$ ]] && [ -f "$d/repo-path" ] || continue
    repo=$(cat "$d/repo-path")
    [ -d "$repo" ] && continue
    pid=$(cat "$d/run/elasticsearch.pid" 2>/dev/null || true)
    [ -n "$pid" ] && [ -d "/proc/$pid" ] && continue
    rm -rf "$d"
  done
}

es_start() {
  local home inst java_home pidfile
  home=$(es_home)
  inst=$(es_instance)
  pidfile=$(es_pidfile)
  es_ensure_user
  es_install "$home"
  java_home=$(es_java_home "$home")

  mkdir -p "$inst/data" "$inst/logs" "$inst/run"
  [ -d "$inst/config" ] || cp -r "$home/config" "$inst/config"
  printf '%s\n' "$AFFNET_ROOT" >"$inst/repo-path"
  rm -f "$pidfile"
  if is_root; then
    chmod 755 "$(dirname "$inst")" "$inst"
    chown -R "$AFFNET_ES_USER:" "$inst"
    es_run_as_user test -r "$home/bin/elasticsearch" -a -w "$inst/data" \
      || die "elasticsearch: user $AFFNET_ES_USER cannot reach $home or $inst"
  fi
  port_open 127.0.0.1 "$AFFNET_ES_TRANSPORT_PORT" \
    && die "elasticsearch: transport port $AFFNET_ES_TRANSPORT_PORT is taken (set AFFNET_ES_TRANSPORT_PORT)"

  # jvm.options writes gc.log and hs_err files relative to the working directory.
  if ! (cd "$inst/logs" && es_run_as_user env \
      ES_JAVA_HOME="$java_home" ES_PATH_CONF="$inst/config" \
      ES_JAVA_OPTS="-Xms$AFFNET_ES_HEAP -Xmx$AFFNET_ES_HEAP" \
      "$home/bin/elasticsearch" -d -p "$pidfile" \
      -Ecluster.name=affnet-local -Enode.name=affnet-es-"$AFFNET_ES_PORT" \
      -Ediscovery.type=single-node -Expack.security.enabled=false \
      -Ehttp.host=127.0.0.1 -Ehttp.port="$AFFNET_ES_PORT" \
      -Etransport.host=127.0.0.1 -Etransport.port="$AFFNET_ES_TRANSPORT_PORT" \
      -Epath.data="$inst/data" -Epath.logs="$inst/logs" \
      -Ecluster.routing.allocation.disk.threshold_enabled=false \
      >>"$inst/logs/console.out" 2>&1); then
    tail -n 30 "$inst/logs/console.out" >&2
    die "elasticsearch: failed to start (log: $inst/logs/console.out)"
  fi
  if ! wait_until "$AFFNET_ES_WAIT" es_healthy; then
    tail -n 30 "$(es_logfile)" "$inst/logs/console.out" >&2 2>/dev/null || true
    die "elasticsearch: no green/yellow health on $(es_url) after ${AFFNET_ES_WAIT}s (logs: $inst/logs)"
  fi
  printf '%s' "$java_home" >"$inst/run/java-home"
}

es_up() {
  local how lock
  # One starter at a time per port: a second `up` waits, then reuses.
  lock=/tmp/affnet-es-$AFFNET_ES_PORT.lock
  exec 8>"$lock"
  flock -w $((AFFNET_ES_WAIT + 60)) 8 || die "elasticsearch: another start holds $lock"
  need_cmd curl
  if es_healthy; then
    how=reused
  elif es_pid >/dev/null; then
    wait_until "$AFFNET_ES_WAIT" es_healthy \
      || die "elasticsearch: pid $(es_pid) from this checkout is running but not healthy (logs: $(es_instance)/logs)"
    how=reused
  elif port_open 127.0.0.1 "$AFFNET_ES_PORT"; then
    die "elasticsearch: port $AFFNET_ES_PORT is taken by something that does not answer /_cluster/health (set AFFNET_ES_PORT)"
  else
    is_root && [ -d "$AFFNET_ES_SYSTEM_DIR" ] && es_prune_orphans
    es_start
    how=started
  fi
  exec 8>&-
  log "elasticsearch: up ($how, $(es_health_status)) $(es_url)$(es_describe)"
}

es_describe() {
  local pid
  if pid=$(es_pid); then
    printf ', pid %s, logs %s/logs' "$pid" "$(es_instance)"
  fi
}

es_down() {
  local pid
  if pid=$(es_pid); then
    kill -TERM "$pid"
    if ! wait_until 60 pid_gone "$pid"; then
      warn "elasticsearch: pid $pid ignored SIGTERM for 60s, killing"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$(es_pidfile)"
    log "elasticsearch: stopped (pid $pid) $(es_url)"
  elif es_healthy || port_open 127.0.0.1 "$AFFNET_ES_PORT"; then
    log "elasticsearch: left running $(es_url) (not started from this checkout)"
  else
    log "elasticsearch: not running $(es_url)"
  fi
}

es_status() {
  local s
  s=$(es_health_status)
  if [ -n "$s" ]; then
    if es_pid >/dev/null; then
      log "elasticsearch: up ($s) $(es_url)$(es_describe)"
    else
      log "elasticsearch: up ($s) $(es_url) (not started from this checkout)"
    fi
  else
    log "elasticsearch: down $(es_url)"
    return 1
  fi
}

# ---------------------------------------------------------------- all three

services_up() {
  pg_up
  redis_up
  es_up
}

services_status() {
  local rc=0
  pg_status || rc=1
  redis_status || rc=1
  es_status || rc=1
  return $rc
}

# Only Elasticsearch: PostgreSQL and Redis are machine services others may share.
services_down() {
  es_down
  log "postgres, redis: left running (machine services)"
}

# Environment the platform and the tests read (see README, Configuration). Fetches the GeoIP data
# when it is missing.
# export_app_env JDBC_URL
export_app_env() {
  export AFFNET_PORT AFFNET_DB_USER AFFNET_DB_PASSWORD AFFNET_REDIS_HOST AFFNET_REDIS_PORT
  export AFFNET_DB_URL="$1"
  export AFFNET_ES_URL="${AFFNET_ES_URL:-$(es_url)}"
  export AXONIQ_UPDATE_CHECKER_DISABLED=true
  geoip_up
  export AFFNET_GEOIP_DIR
}

# ---------------------------------------------------------------- GeoIP data (see data/README.md)
#
# Two npm packages of ip-location-db: the country database (.mmdb, read with MaxMind's reader) and the
# IP-to-ASN ranges (CSV). Unpacked into AFFNET_GEOIP_DIR with flat names the platform expects.

: "${AFFNET_GEOIP_DIR:=$AFFNET_STATE/geoip}"
AFFNET_GEOIP_COUNTRY_PKG=@ip-location-db/geo-whois-asn-country-mmdb
AFFNET_GEOIP_ASN_PKG=@ip-location-db/asn

geoip_present() {
  [ -s "$AFFNET_GEOIP_DIR/geo-whois-asn-country.mmdb" ] && [ -s "$AFFNET_GEOIP_DIR/asn-ipv4-num.csv" ]
}

# geoip_fetch: downloads both packages (AFFNET_GEOIP_VERSION pins one version, default the latest) and
# swaps the files in one by one; a running platform reloads them within affnet.geoip.reload-check.
geoip_fetch() {
  need_cmd npm
  local version=${AFFNET_GEOIP_VERSION:-latest} tmp pkg tgz
  mkdir -p "$AFFNET_GEOIP_DIR"
  tmp=$(mktemp -d "$AFFNET_GEOIP_DIR/.fetch.XXXXXX")
  for pkg in "$AFFNET_GEOIP_COUNTRY_PKG" "$AFFNET_GEOIP_ASN_PKG"; do
    log "geoip: npm pack $pkg@$version"
    if ! tgz=$(cd "$tmp" && npm pack --silent "$pkg@$version" 2>"$tmp/npm.err" | tail -n 1) || [ ! -s "$tmp/$tgz" ]; then
      cat "$tmp/npm.err" >&2
      rm -rf "$tmp"
      die "geoip: could not fetch $pkg@$version from the npm registry"
    fi
    mkdir -p "$tmp/${pkg##*/}"
    tar -xzf "$tmp/$tgz" -C "$tmp/${pkg##*/}" --strip-components=1 \
      || { rm -rf "$tmp"; die "geoip: could not unpack $tgz"; }
  done
  local country=$tmp/${AFFNET_GEOIP_COUNTRY_PKG##*/} asn=$tmp/${AFFNET_GEOIP_ASN_PKG##*/}
  [ -s "$country/geo-whois-asn-country.mmdb" ] && [ -s "$asn/asn-ipv4-num.csv" ] \
    || { rm -rf "$tmp"; die "geoip: the packages no longer have the expected files"; }
  mkdir -p "$AFFNET_GEOIP_DIR/licences"
  cp "$asn"/*LICENSE* "$asn/MODIFICATIONS" "$AFFNET_GEOIP_DIR/licences/" 2>/dev/null || true
  cp "$country/package.json" "$AFFNET_GEOIP_DIR/licences/country-package.json"
  cp "$asn/package.json" "$AFFNET_GEOIP_DIR/licences/asn-package.json"
  # npm's tarballs date every file 1985: touch them, so the platform's change check sees the new ones.
  local f
  for f in "$country/geo-whois-asn-country.mmdb" "$asn/asn-ipv4-num.csv" "$asn/asn-ipv6-num.csv"; do
    touch "$f"
    mv -f "$f" "$AFFNET_GEOIP_DIR/"
  done
  printf '%s %s\n%s %s\n' "$AFFNET_GEOIP_COUNTRY_PKG" "$(node -p "require('$country/package.json').version" 2>/dev/null || echo "$version")" \
    "$AFFNET_GEOIP_ASN_PKG" "$(node -p "require('$asn/package.json').version" 2>/dev/null || echo "$version")" \
    >"$AFFNET_GEOIP_DIR/VERSION"
  rm -rf "$tmp"
  log "geoip: $(tr '\n' ' ' <"$AFFNET_GEOIP_DIR/VERSION")in $AFFNET_GEOIP_DIR"
}

# geoip_up: fetches the data once (a configured AFFNET_GEOIP_DATABASE of the user's own is used as well).
geoip_up() {
  if geoip_present; then
    return 0
  fi
  # One fetcher at a time (several test runs may start together).
  mkdir -p "$AFFNET_STATE"
  exec 7>"$AFFNET_STATE/geoip.lock"
  flock -w 300 7 || die "geoip: another fetch holds $AFFNET_STATE/geoip.lock"
  geoip_present || geoip_fetch
  exec 7>&-
}

# ---------------------------------------------------------------- Chromium (dashboard end-to-end test)

# The dashboard test drives Debian's chromium through chromedriver at /usr/bin; install them when missing.
chromium_up() {
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    log "chromium: present ($(/usr/bin/chromium --version 2>/dev/null | head -n 1))"
    return 0
  fi
  apt_install chromium chromium-driver
  [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || die "chromium/chromedriver still missing after apt-get"
  log "chromium: installed"
}

# ---------------------------------------------------------------- benches (scripts/bench-*.sh)

# bench_ensure_jar JAR: builds the platform when the jar is missing or older than a source file.
bench_ensure_jar() {
  local jar=$1
  if [ ! -f "$jar" ] || [ -n "$(find pom.xml ./*/pom.xml ./*/src -newer "$jar" -type f -print -quit 2>/dev/null)" ]; then
    log "build: mvn -B -q -DskipTests package"
    mvn -B -q -o -DskipTests package >/dev/null 2>&1 || mvn -B -q -ntp -DskipTests package \
      || die "build failed (mvn -B -DskipTests package)"
  fi
  [ -f "$jar" ] || die "$jar is missing after the build"
}

# bench_recreate_db DB: drops and creates a database of the bench's own (its counts see only this run).
bench_recreate_db() {
  log "postgres: recreating database $1"
  pg_psql -q -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1" >/dev/null
}

# bench_psql DB ARGS...: psql on the bench's database.
bench_psql() {
  local db=$1
  shift
  PGPASSWORD="$AFFNET_DB_PASSWORD" psql -h "$AFFNET_DB_HOST" -p "$AFFNET_DB_PORT" -U "$AFFNET_DB_USER" -d "$db" "$@"
}

# bench_app_healthy PID PORT LOG: true once the platform answers UP; dies if the process is gone.
bench_app_healthy() {
  kill -0 "$1" 2>/dev/null || { tail -n 40 "$3" >&2; die "platform exited during start-up"; }
  curl -s -m 2 "http://127.0.0.1:$2/actuator/health" 2>/dev/null | grep -q '"status":"UP"'
}

# bench_start_app START PORT LOG: runs the function START (it starts the platform in the background and
# sets app_pid) and waits until the platform answers UP on PORT. The start-up store probe gives
# PostgreSQL 3 s, which a loaded machine can miss: a start that exits is tried again, three times.
bench_start_app() {
  local start=$1 port=$2 logf=$3 attempt
  up_or_gone() {
    kill -0 "$app_pid" 2>/dev/null || return 0
    curl -s -m 2 "http://127.0.0.1:$port/actuator/health" 2>/dev/null | grep -q '"status":"UP"'
  }
  for attempt in 1 2 3; do
    "$start"
    wait_until "${BENCH_START_WAIT:-180}" up_or_gone \
      || { tail -n 40 "$logf" >&2; die "platform not healthy after ${BENCH_START_WAIT:-180} s (BENCH_START_WAIT)"; }
    kill -0 "$app_pid" 2>/dev/null && return 0
    warn "platform exited during start-up (attempt $attempt): $(tail -n 1 "$logf")"
  done
  die "platform exited during start-up three times"
}

# bench_stop_app PID: SIGTERM (graceful), SIGKILL after 90 s.
bench_stop_app() {
  kill -TERM "$1" 2>/dev/null || return 0
  if ! wait_until 90 pid_gone "$1"; then
    warn "platform ignored SIGTERM for 90 s; killing it"
    kill -KILL "$1" 2>/dev/null || true
  fi
}

# bench_field FILE NAME: a value from the "BENCH k=v ..." line a bench Lua script's done() prints.
bench_field() { grep '^BENCH ' "$1" | tr ' ' '\n' | grep "^$2=" | cut -d= -f2; }

# bench_cpu_ms PID...: user+system CPU time the processes have used so far, in milliseconds.
bench_cpu_ms() {
  local hz pid total=0 t
  hz=$(getconf CLK_TCK)
  for pid in "$@"; do
    t=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null) || continue
    total=$((total + t))
  done
  echo $((total * 1000 / hz))
}

bench_pg_pids() { pgrep -u postgres -d ' ' . || true; }

# bench_tree_cpu_ticks PID...: utime+stime of the processes plus the cutime+cstime of the children
# they have reaped, in clock ticks. The reaped children keep the sum monotonic where processes come
# and go (PostgreSQL's backends: an ended connection's CPU lands in the postmaster's cutime/cstime).
bench_tree_cpu_ticks() {
  local pid total=0 t
  for pid in "$@"; do
    t=$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$pid/stat" 2>/dev/null) || continue
    total=$((total + t))
  done
  echo "$total"
}

# bench_stack_cpu APP_PID: "<platform> <postgres> <redis> <elasticsearch>" CPU time so far, in
# microseconds: the platform JVM, every postgres process (the whole cluster: other databases'
# work counts too on a shared machine), every redis-server and the Elasticsearch node(s).
# The load generator (wrk) is not part of it.
bench_stack_cpu() {
  local hz us
  hz=$(getconf CLK_TCK)
  us=$((1000000 / hz))
  # shellcheck disable=SC2046  # pid lists
  printf '%s %s %s %s\n' \
    $(($(bench_tree_cpu_ticks "$1") * us)) \
    $(($(bench_tree_cpu_ticks $(bench_pg_pids)) * us)) \
    $(($(bench_tree_cpu_ticks $(pgrep -d ' ' -x redis-server || true)) * us)) \
    $(($(bench_tree_cpu_ticks $(pgrep -d ' ' -f 'org\.elasticsearch\.bootstrap\.Elasticsearch' || true)) * us))
}

# bench_thread_cpu PID: "<http> <click-writer> <jit> <gc> <other>" CPU time so far (microseconds) of the
# JVM's threads by group, from /proc/PID/task/*/stat (the thread name is field 2, cut to 15 characters):
# Tomcat's connector and request threads (http-nio-*), the click writers, the JIT compilers, the GC, and
# the rest. Threads that ended meanwhile drop out of the sum, so read it while the groups live.
bench_thread_cpu() {
  local hz
  hz=$(getconf CLK_TCK)
  cat /proc/"$1"/task/*/stat 2>/dev/null | awk -v us=$((1000000 / hz)) '{
    name = $0; sub(/^[0-9]+ \(/, "", name); sub(/\) [A-Z] .*$/, "", name)
    rest = $0; sub(/^.*\) /, "", rest); split(rest, f, " ")
    t = (f[12] + f[13]) * us
    if (name ~ /^http-nio-/) h += t; else if (name ~ /^click-writer/) w += t
    else if (name ~ /^C[12] CompilerThre/) j += t; else if (name ~ /^(GC Thread|VM Thread|ParGC)/) g += t; else o += t
  } END { printf "%d %d %d %d %d\n", h, w, j, g, o }'
}

# bench_pg_own_cpu DB: utime+stime (microseconds) of the postgres processes that are this bench's:
# the backends connected to DB and the cluster's own processes (postmaster, WAL writer, checkpointer,
# autovacuum ...), not other databases' backends. On a shared machine the whole-cluster figure of
# bench_stack_cpu also counts other people's tests; this one counts far less of them.
bench_pg_own_cpu() {
  local hz pids
  hz=$(getconf CLK_TCK)
  pids=$(pgrep -u postgres -a | awk -v db="$1" 'index($0, " " db " ") || !(index($0, "127.0.0.1(") || index($0, "[local]") || index($0, "::1(")) { print $1 }')
  # shellcheck disable=SC2086  # pid list
  # cat, not awk, opens the files: a backend that exits between pgrep and the read is skipped (mawk stops at a
  # missing file and printed nothing, which broke the arithmetic and the bench).
  # shellcheck disable=SC2086  # pid list
  echo $(($(cat $(printf '/proc/%s/stat ' $pids) 2>/dev/null | awk '{ t += $14 + $15 } END { print t + 0 }') * (1000000 / hz)))
}

# bench_stack_delta BEFORE AFTER EVENTS: prints "<total> <platform> <postgres> <redis> <es>" CPU
# microseconds per event between two bench_stack_cpu readings (integers).
bench_stack_delta() {
  awk -v b="$1" -v a="$2" -v n="$3" 'BEGIN {
    split(b, x, " "); split(a, y, " "); t = 0
    for (i = 1; i <= 4; i++) { d[i] = y[i] - x[i]; t += d[i] }
    if (n <= 0) n = 1
    printf "%d %d %d %d %d\n", t / n, d[1] / n, d[2] / n, d[3] / n, d[4] / n }'
}

# bench_processor_lag DB: events the slowest streaming processor segment of the bench's database
# has not read yet (highest global index minus the lowest token position; 0 = drained).
bench_processor_lag() {
  bench_psql "$1" -Atc "SELECT coalesce((SELECT max(globalindex) FROM domainevententry), 0)
    - coalesce(min(coalesce(substring(convert_from(token, 'UTF8') from '\"index\":([0-9]+)'),
                            substring(convert_from(token, 'UTF8') from '\"globalIndex\":([0-9]+)'))::bigint),
               (SELECT max(globalindex) FROM domainevententry), 0)
    FROM tokenentry WHERE token IS NOT NULL"
}
bench_drained() { [ "$(bench_processor_lag "$1")" -le 0 ]; }

# bench_drain DB SECONDS: waits (at most SECONDS, polling every 0.2 s) until every streaming processor
# has read everything in the event store; prints how long it took, or warns with the lag left.
bench_drain() {
  local start=$SECONDS i=0 limit=$(($2 * 5))
  until bench_drained "$1"; do
    i=$((i + 1))
    if [ "$i" -ge "$limit" ]; then
      warn "processors still $(bench_processor_lag "$1") events behind after $2 s"
      return 1
    fi
    sleep 0.2
  done
  log "processors drained (lag 0) after $((SECONDS - start)) s"
}

# bench_us_to_ms MICROSECONDS
bench_us_to_ms() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }
