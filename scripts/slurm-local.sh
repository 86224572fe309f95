#!/usr/bin/env bash
# A throwaway single-node Slurm on this machine, for tests of `train sweep -runner slurm`.
#
#   scripts/slurm-local.sh start   install (apt-get) and start munged, slurmctld and slurmd
#   scripts/slurm-local.sh stop    cancel every job, stop each daemon by the pid in its pid file
#   scripts/slurm-local.sh status  say whether it runs
#
# Needs root (packages, daemons) and Debian/Ubuntu's apt-get. Everything lives under one
# directory, $SELUNET_SLURM_DIR (default /tmp/selunet-slurm): slurm.conf, state, spool,
# pid and log files. Clients find the cluster through SLURM_CONF=<dir>/slurm.conf, which
# start prints as an export line, e.g.
#   eval "$(scripts/slurm-local.sh start)"
# MaxArraySize is $SELUNET_SLURM_MAX_ARRAY_SIZE (default 3, small so that a test sweep of a
# few tasks is split into several arrays as a large sweep is on a real cluster).
# A munged already running before start (not started by this script) is used and left
# running. start on a running cluster only prints the export line.
set -euo pipefail
DIR=${SELUNET_SLURM_DIR:-/tmp/selunet-slurm}
CONF=$DIR/slurm.conf

log() { echo "slurm-local: $*" >&2; }

# alive NAME PIDFILE: the pid in PIDFILE runs a process whose comm is NAME.
alive() {
  local pid
  [ -f "$2" ] || return 1
  pid=$(cat "$2" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$1" ]
}

# stop_daemon NAME PIDFILE: SIGTERM the daemon, wait up to 15 s, then SIGKILL.
stop_daemon() {
  local pid i
  if ! alive "$1" "$2"; then
    return 0
  fi
  pid=$(cat "$2")
  kill "$pid"
  for i in $(seq 150); do
    alive "$1" "$2" || { log "stopped $1 ($pid)"; return 0; }
    sleep 0.1
  done
  log "$1 ($pid) ignored SIGTERM for 15 s; killing it"
  kill -9 "$pid" 2>/dev/null || true
}

start() {
  if [ "$(id -u)" != 0 ]; then
    log "needs root (it installs packages and starts daemons); run as root or skip the Slurm tests"
    exit 1
  fi
  if alive slurmctld "$DIR/slurmctld.pid" && alive slurmd "$DIR/slurmd.pid"; then
    log "already running ($CONF)"
    echo "export SLURM_CONF=$CONF"
    return 0
  fi
  if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
    log "installing slurmctld slurmd slurm-client munge"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >&2 ||
      { apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >&2; }
  fi
  rm -rf "$DIR"
  mkdir -p "$DIR/state" "$DIR/spool" "$DIR/munge"
  chmod 0755 "$DIR"

  # munge: one key, one daemon on the default socket (Slurm's auth/munge uses it).
  if [ ! -s /etc/munge/munge.key ]; then
    log "creating /etc/munge/munge.key"
    (umask 077; dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none)
    chown munge:munge /etc/munge/munge.key
  fi
  if munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
    log "using the munged already running"
  else
    mkdir -p /run/munge /var/log/munge /var/lib/munge
    chown munge:munge /run/munge /var/log/munge /var/lib/munge "$DIR/munge"
    chmod 0755 /run/munge
    runuser -u munge -- munged --pid-file="$DIR/munge/munged.pid" --log-file="$DIR/munge/munged.log"
    cp "$DIR/munge/munged.pid" "$DIR/munged.pid"
  fi

  local host cpus mem
  host=$(hostname -s)
  cpus=$(nproc)
  mem=$(slurmd -C | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p')
  cat >"$CONF" <<CONF
# Throwaway single-node Slurm written by scripts/slurm-local.sh (settings: see the script's header).
ClusterName=selunet-local
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$DIR/jobcomp.log
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerParameters=batch_sched_delay=0
SlurmdParameters=config_overrides
ReturnToService=2
MailProg=/bin/true
MaxArraySize=${SELUNET_SLURM_MAX_ARRAY_SIZE:-3}
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/slurmctld.log
SlurmdLogFile=$DIR/slurmd.log
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=${mem:-1000} State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF=$CONF
  slurmctld -c
  slurmd
  local i state=""
  for i in $(seq 300); do
    state=$(sinfo -h -o %t 2>/dev/null || true)
    [ "$state" = idle ] && break
    sleep 0.1
  done
  if [ "$state" != idle ]; then
    log "node not idle after 30 s (state '$state'); see $DIR/slurmctld.log and $DIR/slurmd.log"
    stop
    exit 1
  fi
  log "running: node $host idle, $cpus CPUs ($CONF)"
  echo "export SLURM_CONF=$CONF"
}

stop() {
  export SLURM_CONF=$CONF
  if alive slurmctld "$DIR/slurmctld.pid"; then
    # Cancel every job first, so that no slurmstepd outlives slurmd.
    local i jobs
    jobs=$(squeue -h -o %A 2>/dev/null || true)
    if [ -n "$jobs" ]; then
      log "cancelling jobs $(echo $jobs)"
      # shellcheck disable=SC2086
      scancel $jobs || true
      for i in $(seq 200); do
        [ -z "$(squeue -h -o %A 2>/dev/null || true)" ] && break
        sleep 0.1
      done
    fi
  fi
  stop_daemon slurmd "$DIR/slurmd.pid"
  stop_daemon slurmctld "$DIR/slurmctld.pid"
  stop_daemon munged "$DIR/munged.pid"
  local pid
  for pid in $(ls /proc | grep -E '^[0-9]+$'); do
    if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = slurmstepd ]; then
      log "warning: slurmstepd $pid still runs"
    fi
  done
}

status() {
  local d ok=0
  for d in munged slurmctld slurmd; do
    if alive "$d" "$DIR/$d.pid"; then echo "$d: running ($(cat "$DIR/$d.pid"))"; else echo "$d: not running"; ok=1; fi
  done
  return $ok
}

case "${1:-}" in
start) start ;;
stop) stop ;;
status) status ;;
*) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
