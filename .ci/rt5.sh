#!/usr/bin/env bash
# Bring up a throwaway Request Tracker 5 (Debian bookworm packages, SQLite,
# RT's own Starlet web server) on loopback for the CRM bridge's end-to-end
# tests. Run as root. Idempotent: a second run reuses what is there.
#
#   rt5_env=$(bash .ci/rt5.sh) && eval "$rt5_env"   # RT5_URL, RT5_TOKEN, ...
#   (a bare `eval "$(bash .ci/rt5.sh)"` also works but ignores a failure:
#    eval of an empty string succeeds even under `set -e`)
#
# Env (optional):
#   RT5_PORT   port on 127.0.0.1 (default 18080)
#   RT5_QUEUE  queue the tests use (default General; created if missing)
#
# Everything that is not an `export` line goes to stderr.
# Outgoing mail is never sent: RT writes it to /var/lib/request-tracker5/*.mbox.
# Stop the server: kill "$(cat /var/lib/hearth-rt5/rt-server.pid)"
set -euo pipefail

RT5_PORT="${RT5_PORT:-18080}"
RT5_QUEUE="${RT5_QUEUE:-General}"
RT5_HOST=127.0.0.1
RT5_URL="http://${RT5_HOST}:${RT5_PORT}"

PKGS=(request-tracker5 rt5-standalone rt5-db-sqlite curl)   # curl: readiness checks
RT_LIB=/usr/share/request-tracker5/lib
RT_SERVER=/usr/share/request-tracker5/libexec/rt-server
SITE_CONF=/etc/request-tracker5/RT_SiteConfig.d/90-hearth-ci.pm
STATE_DIR=/var/lib/hearth-rt5                  # root-only: token, pid
PID_FILE="$STATE_DIR/rt-server.pid"
TOKEN_FILE="$STATE_DIR/root.token"
SERVER_LOG=/var/log/request-tracker5/hearth-rt-server.log
ROOT_PASSWORD=password                         # Debian's default for RT's root
START_TIMEOUT="${RT5_START_TIMEOUT:-120}"
RUN_AS=(setpriv --reuid=www-data --regid=www-data --init-groups --)

log() { echo "rt5.sh: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

http_code() { curl -s -o /dev/null -m 5 -w '%{http_code}' "$@" || true; }
# One RT install = one site config = one server (on whichever port was asked
# last). Its master's pid is kept in $PID_FILE.
SERVER_CMD=("$RT_SERVER" --server Starlet --host "$RT5_HOST" --port "$RT5_PORT"
            --max-workers 2 --env deployment)
server_pid() {   # master pid of the rt-server this script started, if alive
  local pid
  pid=$(cat "$PID_FILE" 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q rt-server "/proc/$pid/cmdline" 2>/dev/null; then
    echo "$pid"; return 0
  fi
  # pid file lost or stale: adopt a server started by an earlier run
  pid=$(pgrep -o -f "^/usr/bin/perl -w $RT_SERVER --server Starlet --host $RT5_HOST --port " || true)
  [ -n "$pid" ] || return 1
  echo "$pid" >"$PID_FILE"
  echo "$pid"
}
server_port() {  # port an rt-server pid listens on
  local cmd
  cmd=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null || true)
  [[ "$cmd" =~ --port\ ([0-9]+) ]] && echo "${BASH_REMATCH[1]}"
}
stop_server() {
  local pid
  pid=$(server_pid) || return 0
  log "stopping rt-server (pid $pid)"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$PID_FILE"
}

[ "$(id -u)" = 0 ] || die "must run as root"
case "$RT5_PORT" in '' | *[!0-9]*) die "RT5_PORT must be a number" ;; esac
# Never let anything we call write to our stdout (it is eval'ed by the caller).
exec 3>&1 1>&2
mkdir -p "$STATE_DIR"
chmod 700 "$STATE_DIR"

# --- 1. install ----------------------------------------------------------
installed() {
  local p
  for p in "$@"; do
    [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || return 1
  done
}

install_rt() {
  local t0=$SECONDS extra=()
  # RT hard-depends on "default-mta | mail-transport-agent"; left alone apt
  # picks exim4-daemon-light (a daemon on :25). dma is a tiny daemonless MTA;
  # RT never calls it anyway ($MailCommand is 'mbox' below). Only add it when
  # no MTA is installed, since MTAs conflict with each other.
  # (Output captured first: `cmd | grep -q` can fail on SIGPIPE under pipefail.)
  local mtas policy
  mtas=$(dpkg-query -W -f='${Status} ${Provides}\n' 2>/dev/null || true)
  grep -q '^install ok installed.*mail-transport-agent' <<<"$mtas" || extra+=(dma)
  log "installing ${PKGS[*]} ${extra[*]} (a few minutes)"
  debconf-set-selections <<EOF
request-tracker5 request-tracker5/dbconfig-install boolean true
request-tracker5 request-tracker5/database-type select sqlite3
request-tracker5 request-tracker5/initial-root-password password ${ROOT_PASSWORD}
request-tracker5 request-tracker5/rtname string hearth-ci
request-tracker5 request-tracker5/organization string hearth-ci
request-tracker5 request-tracker5/webbaseurl string http://127.0.0.1
request-tracker5 request-tracker5/webpath string /rt
request-tracker5 request-tracker5/correspondaddress string rt@localhost
request-tracker5 request-tracker5/commentaddress string rt-comment@localhost
request-tracker5 request-tracker5/install-cronjobs boolean false
request-tracker5 request-tracker5/handle-siteconfig-permissions boolean true
dma dma/mailname string localhost
dma dma/relayhost string
EOF
  local apt=(env DEBIAN_FRONTEND=noninteractive apt-get install -y -q
             --no-install-recommends
             -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold
             "${PKGS[@]}" "${extra[@]}")
  # Without package lists (fresh image) there is no candidate: update first.
  policy=$(apt-cache policy request-tracker5 2>/dev/null || true)
  if ! grep -q 'Candidate: [0-9]' <<<"$policy"; then
    log "apt-get update"
    apt-get update -q >/dev/null
  fi
  if ! "${apt[@]}" >/tmp/hearth-rt5-apt.log 2>&1; then
    # Stale lists point at superseded versions (404): refresh and retry once.
    log "install failed (see /tmp/hearth-rt5-apt.log); apt-get update and retry"
    apt-get update -q >/dev/null
    "${apt[@]}" >/tmp/hearth-rt5-apt.log 2>&1 || {
      tail -30 /tmp/hearth-rt5-apt.log >&2; die "apt-get install failed"; }
  fi
  log "installed in $((SECONDS - t0)) s"
}

if installed "${PKGS[@]}"; then
  log "RT5 packages already installed"
else
  install_rt
fi
[ -x "$RT_SERVER" ] || die "$RT_SERVER missing"

# Refuse a port that some other program answers on, before touching anything.
running_pid=$(server_pid || true)
if [ -z "$running_pid" ] || [ "$(server_port "$running_pid")" != "$RT5_PORT" ]; then
  code=$(http_code "$RT5_URL/")
  [ "$code" = 000 ] || die "something else answers on $RT5_URL (HTTP $code); choose another RT5_PORT"
fi

# --- 2. our site config (loaded after Debian's 50-/51- snippets) ----------
new_conf=$(cat <<EOF
# Written by Hearth's .ci/rt5.sh: throwaway RT for end-to-end tests.
Set(\$WebDomain, '${RT5_HOST}');
Set(\$WebPort, ${RT5_PORT});
Set(\$WebPath, '');
Set(\$WebBaseURL, '${RT5_URL}');
Set(\$CanonicalizeRedirectURLs, 0);
# Never send mail: RT appends outgoing mail to /var/lib/request-tracker5/<start time>.mbox
Set(\$MailCommand, 'mbox');
# Every authenticated REST2 request bcrypt-checks the token or password:
# ~0.4 s at RT's default cost 12, ~0.01 s at 4. Test instance only!
Set(\$BcryptCost, 4);
Set(\$RTAddressRegexp, '^rt(-comment)?\\@localhost\$');
# Log to stderr (the server log); there is no syslog daemon in CI.
Set(\$LogToSyslog, undef);
Set(\$LogToFile, undef);
Set(\$LogToSTDERR, 'info');
1;
EOF
)
# Debian leaves the (empty) RT_SiteConfig.pm root-only; RT running as
# www-data then warns "Couldn't load RT config file ... Permission denied".
chown root:www-data /etc/request-tracker5/RT_SiteConfig.pm
chmod 640 /etc/request-tracker5/RT_SiteConfig.pm
conf_changed=0
if [ ! -f "$SITE_CONF" ] || [ "$(cat "$SITE_CONF")" != "$new_conf" ]; then
  printf '%s\n' "$new_conf" >"$SITE_CONF"
  chown root:www-data "$SITE_CONF"
  chmod 640 "$SITE_CONF"
  conf_changed=1
  log "wrote $SITE_CONF"
fi

# --- 3. database ----------------------------------------------------------
# dbconfig-common (during the install) wrote 51-dbconfig-common.pm and filled
# the SQLite file; ask RT where it is (a relative name is under $RT::VarPath).
db_conf=$(perl -I"$RT_LIB" -MFile::Spec -e 'use RT; RT::LoadConfig();
  my $n = RT->Config->Get("DatabaseName");
  $n = File::Spec->catfile($RT::VarPath, $n) unless File::Spec->file_name_is_absolute($n);
  print RT->Config->Get("DatabaseType"), " ", $n' 2>/dev/null || true)
[ "${db_conf%% *}" = SQLite ] ||
  die "RT is not configured for SQLite ($db_conf; see /etc/request-tracker5/RT_SiteConfig.d/51-dbconfig-common.pm)"
DB=${db_conf#* }
db_root_count() {
  sqlite3 -cmd '.timeout 10000' "$DB" "SELECT count(*) FROM Users WHERE Name='root'" 2>&1 || true
}
db_state=missing
if [ -s "$DB" ]; then db_state=$(db_root_count); fi
if [ "$db_state" = 1 ]; then
  log "database $DB is initialised"
else
  # dbconfig-common normally did this during the install. Redo it only when
  # the file is missing/empty or has no RT schema; never over a real one.
  case "$db_state" in
    missing | *"no such table"*) ;;
    *) die "database $DB: unexpected state ($db_state)" ;;
  esac
  log "initialising database $DB"
  [ -e "$DB" ] && mv "$DB" "$DB.broken.$(date +%s)"
  mkdir -p "$(dirname "$DB")"
  pwfile=$(mktemp); echo "$ROOT_PASSWORD" >"$pwfile"
  /usr/sbin/rt-setup-database-5 --action init --root-password-file "$pwfile" >&2
  rm -f "$pwfile"
  [ "$(db_root_count)" = 1 ] || die "database init failed"
fi
# rt-server runs as www-data: it must write the file and its folder (journal).
chgrp www-data "$DB"; chmod g+rw "$DB"
db_dir=$(dirname "$DB")
if [ "$(stat -c %U "$db_dir")" != www-data ]; then
  chgrp www-data "$db_dir"; chmod g+rwx "$db_dir"
fi

# --- 4. web server --------------------------------------------------------
running_pid=$(server_pid || true)
if [ -n "$running_pid" ]; then
  if [ "$conf_changed" = 1 ]; then
    log "config changed: restarting rt-server"
    stop_server; running_pid=""
  elif [ "$(server_port "$running_pid")" != "$RT5_PORT" ]; then
    log "rt-server runs on another port: restarting it on $RT5_PORT"
    stop_server; running_pid=""
  fi
fi
if [ -n "$running_pid" ] && [ "$(http_code "$RT5_URL/")" = 200 ]; then
  log "rt-server already running (pid $running_pid) at $RT5_URL"
else
  [ -n "$running_pid" ] && stop_server     # ours but not answering
  code=$(http_code "$RT5_URL/")
  [ "$code" = 000 ] || die "something else answers on $RT5_URL (HTTP $code); set RT5_PORT"
  # Compiled Mason templates from an earlier RT version/config are harmless,
  # but stale ones owned by root are not: keep the cache www-data's.
  chown -R www-data:root /var/cache/request-tracker5 /var/lib/request-tracker5
  touch "$SERVER_LOG"; chown www-data:www-data "$SERVER_LOG"
  log "starting rt-server on $RT5_URL (log: $SERVER_LOG)"
  t0=$SECONDS
  # Starlet with 2 workers: plenty for tests on a 2-core box (~220 MB RSS
  # per process, mostly shared).
  # stdout/stderr go to the log and fd 3 (our real stdout) is closed, so a
  # caller's $(...) does not wait for the server to exit.
  nohup "${RUN_AS[@]}" env -i PATH=/usr/bin:/bin HOME=/var/lib/request-tracker5 LANG=C.UTF-8 \
    "${SERVER_CMD[@]}" </dev/null >>"$SERVER_LOG" 2>&1 3>&- &
  echo $! >"$PID_FILE"
  until [ "$(http_code "$RT5_URL/")" = 200 ]; do
    kill -0 "$(cat "$PID_FILE")" 2>/dev/null || { tail -30 "$SERVER_LOG" >&2; die "rt-server exited"; }
    [ $((SECONDS - t0)) -lt "$START_TIMEOUT" ] || { tail -30 "$SERVER_LOG" >&2; die "rt-server not answering after ${START_TIMEOUT}s"; }
    sleep 1
  done
  log "rt-server up in $((SECONDS - t0)) s (pid $(cat "$PID_FILE"))"
fi

# --- 5. test fixtures and a REST2 token for root ---------------------------
# Every run (about 2 s) makes sure of, in RT's own API:
#  - queue $RT5_QUEUE exists;
#  - ticket custom field "HearthRef" (free-form, one value, all queues) exists,
#    for finding a ticket by external reference: CF.{HearthRef} = '...';
#  - a second privileged user "agent" (password $AGENT_PASSWORD, SuperUser) for
#    tests that act "as a support agent in RT" with basic auth;
#  - root's password is $ROOT_PASSWORD (reset if it differs);
#  - with NEW_TOKEN=1: revokes root's earlier "hearth-ci" tokens and prints a
#    new one. RT stores only a hash of a token, so the string is kept in
#    $TOKEN_FILE and reused while REST2 accepts it.
AGENT_PASSWORD=agentpass
rest_code() { http_code -H "Authorization: token $1" "$RT5_URL/REST/2.0/queue/$RT5_QUEUE"; }
token=$(cat "$TOKEN_FILE" 2>/dev/null || true)
new_token=1
# (A config change may be a new $BcryptCost: then make a token hashed with it.)
if [ -n "$token" ] && [ "$conf_changed" = 0 ] && [ "$(rest_code "$token")" = 200 ]; then
  new_token=0
  log "reusing REST2 token in $TOKEN_FILE"
else
  log "creating a REST2 auth token for root"
fi
out=$("${RUN_AS[@]}" env -i PATH=/usr/bin:/bin HOME=/var/lib/request-tracker5 LANG=C.UTF-8 \
    RT5_QUEUE="$RT5_QUEUE" NEW_TOKEN="$new_token" AGENT_PASSWORD="$AGENT_PASSWORD" ROOT_PASSWORD="$ROOT_PASSWORD" \
    perl -I"$RT_LIB" -e '
  use strict; use warnings;
  use RT; RT::LoadConfig(); RT::Init();
  my $sys = RT->SystemUser;
  my $root = RT::User->new($sys);
  $root->Load("root"); $root->id or die "no root user\n";

  my $q = RT::Queue->new($sys);
  $q->Load($ENV{RT5_QUEUE});
  unless ($q->id) {
      my ($ok, $msg) = $q->Create(Name => $ENV{RT5_QUEUE});
      $ok or die "queue create: $msg\n";
      print STDERR "created queue $ENV{RT5_QUEUE}\n";
  }

  my $cf = RT::CustomField->new($sys);
  $cf->LoadByName(Name => "HearthRef", LookupType => RT::Ticket->CustomFieldLookupType);
  unless ($cf->id) {
      my ($ok, $msg) = $cf->Create(Name => "HearthRef", Type => "FreeformSingle",
          LookupType => RT::Ticket->CustomFieldLookupType,
          Description => "Hearth external reference (e2e tests)");
      $ok or die "custom field create: $msg\n";
      ($ok, $msg) = $cf->AddToObject(RT::Queue->new($sys));   # all queues
      $ok or die "custom field apply: $msg\n";
      print STDERR "created ticket custom field HearthRef\n";
  }

  my $agent = RT::User->new($sys);
  $agent->Load("agent");
  unless ($agent->id) {
      my ($ok, $msg) = $agent->Create(Name => "agent", EmailAddress => "agent\@localhost",
          RealName => "Test Agent", Privileged => 1);
      $ok or die "agent create: $msg\n";
      ($ok, $msg) = $agent->PrincipalObj->GrantRight(Right => "SuperUser", Object => RT->System);
      $ok or die "agent rights: $msg\n";
      print STDERR "created user agent\n";
  }
  # Known passwords, hashed at the configured (low) bcrypt cost.
  my $cost = sprintf("%02d", RT->Config->Get("BcryptCost"));
  for ([$root, $ENV{ROOT_PASSWORD}], [$agent, $ENV{AGENT_PASSWORD}]) {
      my ($u, $pw) = @$_;
      next if ($u->__Value("Password") // "") =~ /^!bcrypt!$cost!/ && $u->IsPassword($pw);
      my ($ok, $msg) = $u->SetPassword($pw);
      $ok or die "password for " . $u->Name . ": $msg\n";
  }

  if ($ENV{NEW_TOKEN}) {
      my $old = RT::AuthTokens->new($sys);
      $old->LimitOwner(VALUE => $root->id);
      $old->Limit(FIELD => "Description", VALUE => "hearth-ci");
      while (my $t = $old->Next) { $t->Delete }
      my $tok = RT::AuthToken->new($sys);
      my ($id, $msg, $auth) = $tok->Create(Owner => $root->id, Description => "hearth-ci");
      $id or die "token create: $msg\n";
      print "$auth\n";
  }
' 2>/tmp/hearth-rt5-setup.log) || { cat /tmp/hearth-rt5-setup.log >&2; die "RT setup (perl) failed"; }
grep -v 'internal HTML converter' /tmp/hearth-rt5-setup.log >&2 || true
if [ "$new_token" = 1 ]; then
  token=$out
  (umask 077; printf '%s\n' "$token" >"$TOKEN_FILE")
  code=$(rest_code "$token")
  [ "$code" = 200 ] || die "new token rejected by REST2 (HTTP $code)"
fi
for cred in "root:$ROOT_PASSWORD" "agent:$AGENT_PASSWORD"; do
  code=$(http_code -u "$cred" "$RT5_URL/REST/2.0/rt")
  [ "$code" = 200 ] || log "warning: basic auth as ${cred%%:*} gives HTTP $code"
done

log "ready: $RT5_URL (REST2 at $RT5_URL/REST/2.0/, queue '$RT5_QUEUE')"
{
  printf 'export RT5_URL=%q\n' "$RT5_URL"
  printf 'export RT5_TOKEN=%q\n' "$token"
  printf 'export RT5_USER=%q\n' root
  printf 'export RT5_PASSWORD=%q\n' "$ROOT_PASSWORD"
  printf 'export RT5_QUEUE=%q\n' "$RT5_QUEUE"
  printf 'export RT5_AGENT_USER=%q\n' agent
  printf 'export RT5_AGENT_PASSWORD=%q\n' "$AGENT_PASSWORD"
  printf 'export RT5_REF_CF=%q\n' HearthRef
} >&3
