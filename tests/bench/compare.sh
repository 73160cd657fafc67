#!/usr/bin/env bash
#
# compare.sh - mucd side by side with the host's own MUC and the routing
# ceiling, on one private host, in one invocation.
#
# usage:
#   tests/bench/compare.sh --host prosody|ejabberd
#       [--scenario join,fanout,storm] [--n 10,100,1000] [--runs 3]
#       [--impl builtin,ceiling,mucd] [--variant LABEL=MUCD_ARGS]...
#       [--copies C] [--joins R] [--streams K] [--quick] [--raw FILE]
#   tests/bench/compare.sh --report FILE [--host prosody|ejabberd]
#
# One host is started in the harness's bench mode (tests/harness/*.sh
# --mode bench): its own MUC on muc.localhost, mucd attached as
# conference.localhost, bench-reflect attached as reflect.localhost, and
# bench-load attached as users.localhost playing the N users.  For every
# scenario and N, each run measures every implementation once, in an
# order rotated from run to run so that none always goes first; the
# tables give the medians of the runs:
#   builtin   the host's own MUC
#   ceiling   bench-reflect: the same copies as mucd sends, with no MUC
#             logic, i.e. what routing alone costs the host
#   mucd      mucd with its default settings
#   LABEL     mucd started with the extra flags MUCD_ARGS
#             (e.g. --variant 'mucd-k2=--connections 2'); when MUCD_ARGS
#             starts with @PATH, the daemon PATH is run instead of $MUCD
#             (e.g. --variant 'before=@/tmp/old/mucd'), to measure two
#             builds in one invocation
#
# The scenarios are described in docs/performance.md.  The ratio columns
# compare each implementation with the built-in MUC and with the ceiling
# on the scenario's headline figure: copies/s for fanout (higher is
# better), the p50 join time for join and the storm's duration for storm
# (lower is better).
#
# --streams K: connections of the load generator for the users' domain;
# ejabberd spreads the copies over them by recipient, as real users sit on
# c2s processes of their own, so that one Erlang process writing every
# copy does not cap every path alike.  Default 4 on ejabberd, 1 on Prosody
# (which takes one connection per component domain).
#
# --raw FILE appends every run's RESULT line to FILE as it is measured;
# --report FILE prints the tables of such a file without running anything
# (the machine line then describes this machine now).
#
# --quick is the ctest smoke mode: join, fanout and storm at N=10, one run,
# small counts, a 15 s stall limit.  It checks that every run produced
# numbers, never how large they are.
#
# Environment: BENCH_BIN (directory of bench-load and bench-reflect,
# default build/bin), MUCD (the daemon, default build/bin/mucd),
# KEEP_TMP=1 keeps the temporary directory.
# Exit status: 0 when every run produced a result, 1 otherwise.

set -euo pipefail
HARNESS_NAME=compare.sh
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=tests/harness/prosody.sh
source "$here/../harness/prosody.sh"
# shellcheck source=tests/harness/ejabberd.sh
source "$here/../harness/ejabberd.sh"
# shellcheck source=tests/harness/mucd.sh
source "$here/../harness/mucd.sh"

BENCH_BIN=${BENCH_BIN:-$here/../../build/bin}

usage() {
	sed -n '5,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

host='' scenarios=join,fanout,storm ns=10,100,1000 runs=3
impls=builtin,ceiling,mucd copies=100000 joins=20 stall=120 raw='' report=''
streams=''
variants=()
while (($#)); do
	case "$1" in
	--host) host=${2:-}; shift 2 || usage ;;
	--scenario) scenarios=${2:-}; shift 2 || usage ;;
	--n) ns=${2:-}; shift 2 || usage ;;
	--runs) runs=${2:-}; shift 2 || usage ;;
	--impl) impls=${2:-}; shift 2 || usage ;;
	--variant) variants+=("${2:-}"); shift 2 || usage ;;
	--copies) copies=${2:-}; shift 2 || usage ;;
	--joins) joins=${2:-}; shift 2 || usage ;;
	--streams) streams=${2:-}; shift 2 || usage ;;
	--raw) raw=${2:-}; shift 2 || usage ;;
	--report) report=${2:-}; shift 2 || usage ;;
	--quick)
		scenarios=join,fanout,storm ns=10 runs=1 copies=2000 joins=3
		stall=15
		shift ;;
	*) usage ;;
	esac
done
# --- The tables ----------------------------------------------------------------

machine() {
	local cpu ver
	cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
	ver=$(dpkg-query -W -f '${Version}' "$host" 2>/dev/null || echo '?')
	printf '%s %s; %s, %s cores, %s MiB; %s; %s\n' "$host" "$ver" \
	    "${cpu:-unknown CPU}" "$(nproc)" \
	    "$(($(sed -n 's/^MemTotal: *\([0-9]*\).*/\1/p' /proc/meminfo) / 1024))" \
	    "$(uname -sr)" "$(date -u '+%Y-%m-%d %H:%M UTC')"
}

# The awk program that turns RESULT lines into one table per scenario
# and N: medians, and the ratios to builtin and ceiling.
table_awk='
function median(list,   a, n, i, j, t) {
	n = split(list, a, " ")
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function fmt(v) { return v < 0 ? "-" : sprintf(v < 10 ? "%.2f" : "%.0f", v) }
{
	delete f
	for (i = 2; i <= NF; i++) {
		split($i, kv, "=")
		f[kv[1]] = kv[2]
	}
	key = f["scenario"] SUBSEP f["n"] SUBSEP f["label"]
	if (!(f["scenario"] SUBSEP f["n"] in seen)) {
		seen[f["scenario"] SUBSEP f["n"]] = 1
		groups[++ngroups] = f["scenario"] SUBSEP f["n"]
	}
	for (m in f)
		vals[key, m] = vals[key, m] " " f[m]
	have[key] = 1
}
END {
	nimpl = split(order, impl, " ")
	for (g = 1; g <= ngroups; g++) {
		split(groups[g], gs, SUBSEP)
		sc = gs[1]; n = gs[2]
		head = sc == "fanout" ? "rate" : sc == "join" ? "p50_ms" : "secs"
		printf "\n### %s, N = %d\n\n", sc, n
		print "| impl | copies | copies/s | secs | p50 ms | p99 ms | host µs/copy | svc µs/copy | svc B/copy | rx B/copy | host MiB | ÷ built-in | ÷ ceiling |"
		print "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
		for (i = 1; i <= nimpl; i++) {
			k = groups[g] SUBSEP impl[i]
			if (!(k in have))
				continue
			med[impl[i]] = median(vals[k, head])
		}
		for (i = 1; i <= nimpl; i++) {
			k = groups[g] SUBSEP impl[i]
			if (!(k in have))
				continue
			rb = rc = "-"
			if ("builtin" in med && med["builtin"] > 0)
				rb = sprintf("%.2f", med[impl[i]] / med["builtin"])
			if ("ceiling" in med && med["ceiling"] > 0)
				rc = sprintf("%.2f", med[impl[i]] / med["ceiling"])
			printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
			    impl[i], fmt(median(vals[k, "copies"])),
			    fmt(median(vals[k, "rate"])), fmt(median(vals[k, "secs"])),
			    fmt(median(vals[k, "p50_ms"])), fmt(median(vals[k, "p99_ms"])),
			    fmt(median(vals[k, "host_us"])), fmt(median(vals[k, "svc_us"])),
			    fmt(median(vals[k, "svc_bytes"])), fmt(median(vals[k, "rx_bytes"])),
			    ((k SUBSEP "host_mib") in vals) ? fmt(median(vals[k, "host_mib"])) : "-",
			    rb, rc
		}
		delete med
	}
}'

# tables FILE RUNS MACHINE: print the tables of the RESULT lines in FILE.
tables() {
	echo
	echo "## $3"
	echo "medians of $2 run(s); ratios on the headline figure (fanout: copies/s, join: p50, storm: secs)"
	grep '^RESULT ' "$1" | awk -v order="${order[*]}" "$table_awk"
}

if [[ -n "$report" ]]; then
	[[ -r "$report" ]] || harness_die "cannot read $report"
	order=()
	while read -r l; do
		[[ " ${order[*]} " == *" $l "* ]] || order+=("$l")
	done < <(sed -n 's/^RESULT label=\([^ ]*\) .*/\1/p' "$report")
	tables "$report" \
	    "$(awk '/^RESULT/ {print $2, $3, $4}' "$report" | sort | uniq -c |
	    sort -rn | awk 'NR == 1 {print $1}')" \
	    "$(sed -n 's/^# machine: //p' "$report" | head -n 1)"
	exit 0
fi
[[ "$host" == prosody || "$host" == ejabberd ]] || usage
[[ -n "$streams" ]] || { [[ "$host" == ejabberd ]] && streams=4 || streams=1; }
for b in bench-load bench-reflect; do
	[[ -x "$BENCH_BIN/$b" ]] || harness_die "$BENCH_BIN/$b not found (build first, or set BENCH_BIN)"
done

# The implementations: name, then its mucd flags for mucd variants.
declare -A impl_args=()
order=()
IFS=, read -r -a base <<<"$impls"
for i in "${base[@]}"; do
	case "$i" in
	builtin | ceiling | mucd) order+=("$i"); impl_args[$i]='' ;;
	*) harness_die "unknown implementation '$i' (builtin, ceiling, mucd)" ;;
	esac
done
for v in "${variants[@]}"; do
	[[ "$v" == *=* ]] || harness_die "--variant wants LABEL=MUCD_ARGS, not '$v'"
	order+=("${v%%=*}")
	impl_args[${v%%=*}]=${v#*=}
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mucd-bench.XXXXXX")
reflect_pid=''
cleanup() {
	set +e
	mucd_stop "$tmp"
	[[ -n "$reflect_pid" ]] && harness_stop_pid "$reflect_pid" bench-reflect bench-reflect 5
	"${host}_stop" "$tmp"
	if [[ "${KEEP_TMP:-0}" == 1 ]]; then
		harness_say "kept $tmp"
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# --- The host, the reflector, mucd -------------------------------------------

# Quiet logs: a debug log line per stanza would be most of what we measure.
# ejabberd stays at info, which logs per connection, not per stanza (and
# the harness waits for its info line "is started").
PROSODY_LOG_LEVEL=warn EJABBERD_LOG_LEVEL=info "${host}_start" "$tmp" bench
# shellcheck source=/dev/null
source "$tmp/host.env"
export BENCH_SECRET=$COMPONENT_SECRET

"$BENCH_BIN/bench-reflect" --port "$BENCH_REFLECT_PORT" \
    --domain "$BENCH_REFLECT_DOMAIN" >"$tmp/reflect.log" 2>&1 &
reflect_pid=$!
for ((i = 0; i < 100; i++)); do
	grep -qs connected "$tmp/reflect.log" && break
	harness_pid_alive "$reflect_pid" || harness_die "bench-reflect exited" "$tmp/reflect.log"
	sleep 0.1
done
grep -qs connected "$tmp/reflect.log" || harness_die "bench-reflect did not connect" "$tmp/reflect.log"

mucd_running=none
bench_limits_off="--message-rate 0 --presence-rate 0 --join-rate 0 --room-creation-rate 0"
# mucd_as LABEL: have mucd running with LABEL's flags (and binary).
mucd_as() {
	local args=${impl_args[$1]} bin=$MUCD
	[[ "$mucd_running" == "$1" ]] && return 0
	mucd_stop "$tmp"
	if [[ "$args" == @* ]]; then
		bin=${args%% *}
		bin=${bin#@}
		[[ "$args" == *" "* ]] && args=${args#* } || args=''
	fi
	# The built-in MUCs have no rate limits by default (the load
	# generator is a component: no c2s shaper either), so mucd runs
	# without its own; a variant's flags come after and may set them.
	MUCD=$bin MUCD_LOG_LEVEL=info MUCD_ARGS="$bench_limits_off $args" \
	    mucd_start "$tmp"
	mucd_running=$1
}

# --- One run ------------------------------------------------------------------

results=$tmp/results
echo "# machine: $(machine)" >"$results"
[[ -z "$raw" ]] || echo "# machine: $(machine)" >>"$raw"
failed=0

# run_one IMPL SCENARIO N RUN: one bench-load run; appends its RESULT line.
run_one() {
	local impl=$1 sc=$2 n=$3 run=$4 muc svc line rc=0
	case "$impl" in
	builtin) muc=$BENCH_BUILTIN_DOMAIN svc=0 ;;
	ceiling) muc=$BENCH_REFLECT_DOMAIN svc=$reflect_pid ;;
	*)
		mucd_as "$impl"
		muc=$MUC_DOMAIN
		svc=$(harness_env_get "$tmp/mucd.env" MUCD_PID) ;;
	esac
	line=$("$BENCH_BIN/bench-load" --port "$BENCH_USERS_PORT" \
	    --domain "$BENCH_USERS_DOMAIN" --muc "$muc" \
	    --room "b$sc$n-$run-${impl//[^a-z0-9]/}" --scenario "$sc" --n "$n" \
	    --copies "$copies" --joins "$joins" --stall "$stall" \
	    --streams "$streams" \
	    --host-pid "$PID" --svc-pid "$svc" --label "$impl" \
	    2>>"$tmp/load.err") || rc=$?
	if ((rc != 0)) || [[ "$line" != RESULT* ]]; then
		harness_say "FAILED: $impl $sc n=$n run $run (exit $rc)"
		tail -n 5 "$tmp/load.err" >&2
		failed=1
		return 0
	fi
	echo "$line" >>"$results"
	[[ -z "$raw" ]] || echo "$line" >>"$raw"
	printf '  %s\n' "${line#RESULT }" >&2
}

IFS=, read -r -a sc_list <<<"$scenarios"
IFS=, read -r -a n_list <<<"$ns"
for sc in "${sc_list[@]}"; do
	for n in "${n_list[@]}"; do
		for ((run = 1; run <= runs; run++)); do
			harness_say "$sc n=$n run $run of $runs"
			k=$(((run - 1) % ${#order[@]}))
			for ((j = 0; j < ${#order[@]}; j++)); do
				run_one "${order[(k + j) % ${#order[@]}]}" "$sc" "$n" "$run"
			done
		done
	done
done

tables "$results" "$runs" "$(machine)"

# Every run must have produced numbers (the smoke test's only assertion).
if ((failed)); then
	harness_say "some runs failed (see above)"
	exit 1
fi
expected=$((${#sc_list[@]} * ${#n_list[@]} * runs * ${#order[@]}))
got=$(grep -cE '^RESULT .* copies=[1-9][0-9]* .* rate=[0-9]+ ' "$results" || true)
if ((got != expected)); then
	harness_say "$got of $expected runs produced numbers"
	exit 1
fi
