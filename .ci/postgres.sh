#!/usr/bin/env bash
# PostgreSQL for the tests, set up as in production on loopback: a primary cluster on
# 127.0.0.1:55432 and a streaming-replication standby on 127.0.0.1:55433 made from it with
# pg_basebackup -R. Runs as root on Debian; installs Debian's `postgresql` when it is missing and
# uses whatever major version that gives. Idempotent: the two clusters (chprimary, chstandby) are
# dropped and made again on every run.
#
# Progress goes to stderr; stdout is only `export NAME=value` lines, so use it as
#     eval "$(.ci/postgres.sh)"
# which sets CHANCERY_PG_URL, CHANCERY_PG_STANDBY_URL, CHANCERY_PG_PRIMARY_CLUSTER and
# CHANCERY_PG_STANDBY_CLUSTER (each "<version> <name>", for pg_ctlcluster).
set -euo pipefail

primary_port="${CHANCERY_PG_PRIMARY_PORT:-55432}"
standby_port="${CHANCERY_PG_STANDBY_PORT:-55433}"
primary="${CHANCERY_PG_PRIMARY_NAME:-chprimary}"
standby="${CHANCERY_PG_STANDBY_NAME:-chstandby}"
role=chancery
password=chancery
database=chancery
started=$(date +%s)

log() { echo "postgres.sh: $*" >&2; }
as_postgres() { runuser -u postgres -- "$@"; }

# The newest installed server version (a directory with bin/postgres), or nothing.
server_version() {
  local v
  for v in $(ls /usr/lib/postgresql 2>/dev/null | sort -V -r); do
    if [ -x "/usr/lib/postgresql/$v/bin/postgres" ]; then
      echo "$v"
      return
    fi
  done
}

version="$(server_version)"
if [ -z "$version" ] || ! command -v pg_createcluster >/dev/null; then
  log "installing Debian's postgresql"
  apt-get update -qq >&2
  # policy-rc.d-less containers may try to start the default cluster; that is harmless.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  version="$(server_version)"
fi
if [ -z "$version" ]; then
  log "no PostgreSQL server found under /usr/lib/postgresql after installing"
  exit 1
fi
bin="/usr/lib/postgresql/$version/bin"
log "PostgreSQL $version ($bin)"

install -d -o postgres -g postgres -m 2775 /var/run/postgresql

# Tear down what an earlier run made (standby first: it streams from the primary). Only clusters
# this script wrote (its marker in conf.d) are dropped; anything else of the same name stops it.
marker="# Written by .ci/postgres.sh"
for name in "$standby" "$primary"; do
  for v in $(ls /etc/postgresql 2>/dev/null); do
    if [ -d "/etc/postgresql/$v/$name" ]; then
      if ! grep -qxF "$marker" "/etc/postgresql/$v/$name/conf.d/chancery.conf" 2>/dev/null; then
        log "cluster $v $name exists and was not made by this script; drop it first (pg_dropcluster --stop $v $name)"
        exit 1
      fi
      log "dropping cluster $v $name"
      pg_dropcluster --stop "$v" "$name" >&2 || {
        pg_ctlcluster "$v" "$name" stop -m immediate >&2 2>/dev/null || true
        pg_dropcluster "$v" "$name" >&2
      }
    fi
  done
done
# Ports still taken belong to clusters this script did not make (someone set them up by hand on
# this machine). Use them when they are what the tests need (a primary and its standby, the
# role and database in place); otherwise stop.
taken=0
for port in "$primary_port" "$standby_port"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then taken=1; fi
done
if [ "$taken" = 1 ]; then
  ask() { PGPASSWORD="$password" psql -X -h 127.0.0.1 -p "$1" -U "$role" -d "$database" -Atc "$2" 2>/dev/null || true; }
  cluster_on() { pg_lsclusters -h | awk -v p="$1" '$3 == p {print $1, $2; exit}'; }
  if [ "$(ask "$primary_port" 'SELECT pg_is_in_recovery()')" = f ] &&
    [ "$(ask "$standby_port" 'SELECT pg_is_in_recovery()')" = t ]; then
    log "ports $primary_port and $standby_port already serve a primary and a standby with role $role: using them as they are"
    cat <<EOF
export CHANCERY_PG_URL=postgres://$role:$password@127.0.0.1:$primary_port/$database
export CHANCERY_PG_STANDBY_URL=postgres://$role:$password@127.0.0.1:$standby_port/$database
export CHANCERY_PG_PRIMARY_CLUSTER="$(cluster_on "$primary_port")"
export CHANCERY_PG_STANDBY_CLUSTER="$(cluster_on "$standby_port")"
EOF
    exit 0
  fi
  log "port $primary_port or $standby_port is taken by something that is not a usable primary and standby; stop it first"
  exit 1
fi

# Settings shared by both clusters, in Debian's conf.d (read after postgresql.conf).
settings() {
  cat <<EOF
$marker
listen_addresses = '127.0.0.1'
port = $1
ssl = off
password_encryption = 'scram-sha-256'
wal_level = replica
max_wal_senders = 10
max_replication_slots = 10
hot_standby = on
hot_standby_feedback = on
wal_keep_size = '256MB'
max_connections = 200
shared_buffers = '128MB'
log_line_prefix = '%m [%p] %q%u@%d '
EOF
}

hba() {
  cat <<EOF
# Written by .ci/postgres.sh
# TYPE  DATABASE     USER      ADDRESS          METHOD
local   all          postgres                   peer
local   all          all                        peer
host    all          all       127.0.0.1/32     scram-sha-256
local   replication  all                        peer
host    replication  all       127.0.0.1/32     scram-sha-256
EOF
}

log "creating primary $version $primary on 127.0.0.1:$primary_port"
pg_createcluster "$version" "$primary" -p "$primary_port" --start-conf=manual >&2
settings "$primary_port" >"/etc/postgresql/$version/$primary/conf.d/chancery.conf"
hba >"/etc/postgresql/$version/$primary/pg_hba.conf"
pg_ctlcluster "$version" "$primary" start >&2

psql_primary() { as_postgres psql -X -q -v ON_ERROR_STOP=1 -h /var/run/postgresql -p "$primary_port" "$@"; }
psql_primary -d postgres -c "CREATE ROLE $role LOGIN PASSWORD '$password' CREATEDB REPLICATION" >&2
psql_primary -d postgres -c "CREATE DATABASE $database OWNER $role" >&2
# pg_monitor lets the role read pg_stat_replication (how far the standby is behind).
psql_primary -d postgres -c "GRANT pg_monitor TO $role" >&2

log "creating standby $version $standby on 127.0.0.1:$standby_port (pg_basebackup -R from the primary)"
pg_createcluster "$version" "$standby" -p "$standby_port" --start-conf=manual >&2
settings "$standby_port" >"/etc/postgresql/$version/$standby/conf.d/chancery.conf"
hba >"/etc/postgresql/$version/$standby/pg_hba.conf"
standby_data="/var/lib/postgresql/$version/$standby"
rm -rf "$standby_data"
install -d -o postgres -g postgres -m 700 "$standby_data"
as_postgres "$bin/pg_basebackup" \
  -d "host=127.0.0.1 port=$primary_port user=$role password=$password application_name=$standby" \
  -D "$standby_data" -R -X stream -C -S "$standby" -c fast >&2
pg_ctlcluster "$version" "$standby" start >&2

log "waiting for the standby to stream"
for _ in $(seq 1 120); do
  state="$(psql_primary -d postgres -Atc "SELECT state FROM pg_stat_replication WHERE application_name = '$standby'" || true)"
  recovery="$(as_postgres psql -X -h /var/run/postgresql -p "$standby_port" -d postgres -Atc 'SELECT pg_is_in_recovery()' 2>/dev/null || true)"
  if [ "$state" = streaming ] && [ "$recovery" = t ]; then
    break
  fi
  sleep 0.5
done
if [ "$state" != streaming ] || [ "$recovery" != t ]; then
  log "the standby is not streaming (state '$state', in recovery '$recovery')"
  tail -n 30 "/var/log/postgresql/postgresql-$version-$standby.log" >&2 || true
  exit 1
fi

# The role can log in over TCP with its password, on both.
PGPASSWORD="$password" psql -X -h 127.0.0.1 -p "$primary_port" -U "$role" -d "$database" -Atc 'SELECT 1' >/dev/null
PGPASSWORD="$password" psql -X -h 127.0.0.1 -p "$standby_port" -U "$role" -d "$database" -Atc 'SELECT 1' >/dev/null

log "primary and standby streaming, in $(($(date +%s) - started)) s"
cat <<EOF
export CHANCERY_PG_URL=postgres://$role:$password@127.0.0.1:$primary_port/$database
export CHANCERY_PG_STANDBY_URL=postgres://$role:$password@127.0.0.1:$standby_port/$database
export CHANCERY_PG_PRIMARY_CLUSTER="$version $primary"
export CHANCERY_PG_STANDBY_CLUSTER="$version $standby"
EOF
