#!/usr/bin/env bash
# A throw-away single-node Slurm cluster on loopback, for the regression
# runner's Slurm launcher tests and CI (docs/slurm.md). Needs root.
#
#   tools/slurm/cluster.sh install            apt-get install slurmctld slurmd slurm-client munge
#                                              (without starting their system services)
#   tools/slurm/cluster.sh start  [--dir D] [--cpus N]
#   tools/slurm/cluster.sh status [--dir D]
#   tools/slurm/cluster.sh env    [--dir D]   prints `export SLURM_CONF=...` for eval
#   tools/slurm/cluster.sh stop   [--dir D] [--keep]
#
# Everything lives in one state directory D (default: a new /tmp/vsq-slurm.XXXXXX,
# remembered in build/slurm/current): a fresh munge key, a private munged socket
# (not /run/munge, so a system munged is never touched), a generated slurm.conf
# (unique cluster name, free loopback ports, NodeAddr=127.0.0.1, this machine's
# CPU count, proctrack/linuxproc, task/none, select/cons_tres, jobcomp/filetxt
# so that `sacct --completion` works without slurmdbd), the daemons' state,
# spool, logs and pid files. Clients use it through SLURM_CONF=D/slurm.conf.
# `stop` cancels the cluster's jobs, stops slurmd, slurmctld and munged by
# their pid files (and any slurmstepd they left), and removes D.
#
# Exit codes: 0 ok, 1 failure, 2 usage, 3 Slurm/munge not installed and not
# installable (the tests skip on 3 with the message).
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$PWD
POINTER=$REPO/build/slurm/current
PKGS=(slurmctld slurmd slurm-client munge)
NODE=vsqnode
PARTITION=debug

say() { printf 'slurm-cluster: %s\n' "$*" >&2; }
die() { say "$*"; exit "${2:-1}"; }

cmd=${1:-}
[ $# -gt 0 ] && shift
DIR="" CPUS="" KEEP=0
while [ $# -gt 0 ]; do
  case $1 in
    --dir) DIR=$2; shift 2 ;;
    --cpus) CPUS=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) die "unknown option $1" 2 ;;
  esac
done

have_tools() {
  local t
  for t in munged mungekey slurmctld slurmd sbatch squeue scancel sacct scontrol sinfo; do
    command -v "$t" >/dev/null || { MISSING=$t; return 1; }
  done
}

need_root() { [ "$(id -u)" = 0 ] || die "must run as root (the daemons run as root on loopback)" 3; }

do_install() {
  if have_tools; then say "slurm-wlm and munge already installed"; return 0; fi
  need_root
  command -v apt-get >/dev/null || die "$MISSING is missing and there is no apt-get: install ${PKGS[*]}" 3
  # The packages' postinst would start system munge/slurm services: forbid that
  # for the install only (a policy-rc.d that is already there is left alone).
  local policy=/usr/sbin/policy-rc.d made=0
  if [ ! -e $policy ]; then
    printf '#!/bin/sh\nexit 101\n' >$policy && chmod 755 $policy && made=1
  fi
  say "installing ${PKGS[*]} from apt"
  local ok=0
  export DEBIAN_FRONTEND=noninteractive
  if apt-get install -y -qq --no-install-recommends "${PKGS[@]}" >&2; then ok=1
  elif apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends "${PKGS[@]}" >&2; then ok=1
  fi
  [ $made = 1 ] && rm -f $policy
  [ $ok = 1 ] || die "apt-get install ${PKGS[*]} failed" 3
  have_tools || die "$MISSING still missing after installing ${PKGS[*]}" 3
}

resolve_dir() {
  if [ -z "$DIR" ]; then
    [ -f "$POINTER" ] || die "no cluster: no --dir and no $POINTER (start one first)"
    DIR=$(cat "$POINTER")
  fi
  DIR=$(cd "$DIR" 2>/dev/null && pwd) || die "no such state directory: $DIR"
}

# pid_of NAME PIDFILE: the pid when the file names a live process called NAME.
pid_of() {
  local pid
  pid=$(cat "$2" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ -r "/proc/$pid/comm" ] && [ "$(cat /proc/$pid/comm)" = "$1" ] && echo "$pid"
}

# stop_pid PID: TERM, up to 10 s, then KILL.
stop_pid() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2
  done
  kill -KILL "$pid" 2>/dev/null || true
}

free_ports() {
  python3 - <<'EOF'
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))
EOF
}

do_start() {
  need_root
  have_tools || die "$MISSING not found: run \`$0 install\` (Debian: apt-get install ${PKGS[*]})" 3
  if [ -n "$DIR" ]; then
    mkdir -p "$DIR"
    [ -z "$(ls -A "$DIR")" ] || die "$DIR is not empty"
    DIR=$(cd "$DIR" && pwd)
  else
    DIR=$(mktemp -d /tmp/vsq-slurm.XXXXXX)
  fi
  # munged wants its socket directory (and the path to it) searchable by all,
  # its key private.
  chmod 755 "$DIR"
  mkdir -p "$DIR/munge" "$DIR/munge-run" "$DIR/state" "$DIR/spool" "$DIR/log"
  chmod 700 "$DIR/munge"
  chmod 755 "$DIR/munge-run"
  mkdir -p "$(dirname "$POINTER")"
  echo "$DIR" >"$POINTER"

  local cpus=${CPUS:-$(nproc)} host cluster ports ctld_port slurmd_port
  host=$(hostname -s)
  cluster=vsq$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
  read -r ctld_port slurmd_port < <(free_ports)
  mungekey --create --keyfile="$DIR/munge/munge.key" 2>/dev/null \
    || { dd if=/dev/urandom of="$DIR/munge/munge.key" bs=1 count=1024 status=none; }
  chmod 600 "$DIR/munge/munge.key"

  cat >"$DIR/slurm.conf" <<EOF
# Generated by tools/slurm/cluster.sh: a throw-away single-node cluster on loopback.
ClusterName=$cluster
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
CommunicationParameters=NoCtldInAddrAny,NoInAddrAny
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$DIR/munge-run/munge.socket
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=$DIR/log/jobcomp.log
MpiDefault=none
ReturnToService=2
KillWait=5
MinJobAge=600
NodeName=$NODE NodeHostname=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=$PARTITION Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
  printf 'export SLURM_CONF=%s\n' "$DIR/slurm.conf" >"$DIR/env"

  export SLURM_CONF=$DIR/slurm.conf
  # The daemons carry a marker that lets `stop` find the slurmstepd processes
  # they leave (this shell does not).
  local fail="" mark="env VSQ_SLURM_DIR=$DIR"
  $mark munged --key-file="$DIR/munge/munge.key" --socket="$DIR/munge-run/munge.socket" \
    --pid-file="$DIR/munge-run/munged.pid" --log-file="$DIR/log/munged.log" \
    --seed-file="$DIR/munge/munged.seed" || fail="munged"
  [ -n "$fail" ] || $mark slurmctld -f "$SLURM_CONF" || fail="slurmctld"
  [ -n "$fail" ] || $mark slurmd -f "$SLURM_CONF" -N "$NODE" || fail="slurmd"
  if [ -z "$fail" ]; then
    local i state=""
    for i in $(seq 60); do
      state=$(sinfo -h -n "$NODE" -o %T 2>/dev/null || true)
      [ "$state" = idle ] && break
      sleep 0.5
    done
    [ "$state" = idle ] || fail="the node (state '${state:-no answer}' after 30 s)"
  fi
  if [ -n "$fail" ]; then
    say "could not start $fail; logs:"
    tail -n 20 "$DIR"/log/*.log >&2 || true
    KEEP=1 do_stop
    die "start failed (state kept in $DIR)"
  fi
  say "cluster $cluster up: node $NODE ($cpus CPUs), slurmctld 127.0.0.1:$ctld_port, slurmd 127.0.0.1:$slurmd_port"
  say "state in $DIR; use it with: eval \$($0 env)"
  cat "$DIR/env"
}

do_status() {
  resolve_dir
  export SLURM_CONF=$DIR/slurm.conf
  local d f up=0
  for d in munged:munge-run/munged.pid slurmctld:slurmctld.pid slurmd:slurmd.pid; do
    if pid=$(pid_of "${d%%:*}" "$DIR/${d#*:}"); then echo "${d%%:*}: running (pid $pid)"; up=$((up + 1))
    else echo "${d%%:*}: not running"; fi
  done
  echo "SLURM_CONF=$SLURM_CONF"
  if [ $up = 3 ]; then sinfo; squeue; fi
  [ $up = 3 ]
}

# Processes of this cluster that the pid files do not name: slurmstepd and
# the jobs' processes (found by the marker and the cluster name in their environment).
leftovers() {
  local cluster p
  cluster=$(sed -n 's/^ClusterName=//p' "$DIR/slurm.conf" 2>/dev/null || true)
  for p in /proc/[0-9]*; do
    [ "${p#/proc/}" = $$ ] && continue
    if { tr '\0' '\n' <"$p/environ"; } 2>/dev/null | grep -qx -e "VSQ_SLURM_DIR=$DIR" \
        ${cluster:+-e "SLURM_CLUSTER_NAME=$cluster"}; then
      echo "${p#/proc/}"
    fi
  done
}

steps() {
  local p
  for p in $(leftovers); do
    [ "$(cat /proc/$p/comm 2>/dev/null)" = slurmstepd ] && echo "$p"
  done
  return 0
}

do_stop() {
  [ -n "$DIR" ] || resolve_dir
  [ -d "$DIR" ] || die "no such state directory: $DIR"
  export SLURM_CONF=$DIR/slurm.conf
  local pid i
  if pid_of slurmctld "$DIR/slurmctld.pid" >/dev/null; then
    # Cancel every job so that slurmstepd ends them cleanly, and wait a little.
    squeue -h -o %A 2>/dev/null | sort -u | xargs -r scancel 2>/dev/null || true
    for i in $(seq 40); do  # until their slurmstepd are gone (KillWait is 5 s)
      [ -z "$(steps)" ] && break
      sleep 0.5
    done
  fi
  for d in slurmd:slurmd.pid slurmctld:slurmctld.pid; do
    if pid=$(pid_of "${d%%:*}" "$DIR/${d#*:}"); then stop_pid "$pid"; fi
  done
  if pid=$(pid_of munged "$DIR/munge-run/munged.pid"); then stop_pid "$pid"; fi
  for pid in $(leftovers); do
    say "stopping leftover process $pid ($(cat /proc/$pid/comm 2>/dev/null))"
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ "$(cat "$POINTER" 2>/dev/null)" = "$DIR" ]; then rm -f "$POINTER"; fi
  if [ "$KEEP" = 1 ]; then say "stopped; state kept in $DIR"
  else rm -rf "$DIR"; say "stopped; removed $DIR"; fi
}

case $cmd in
  install) do_install ;;
  start) do_start ;;
  stop) do_stop ;;
  status) do_status ;;
  env) resolve_dir; cat "$DIR/env" ;;
  *) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
