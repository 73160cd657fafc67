#!/usr/bin/env bash
#
# calibrate.sh - check the checker: scansion-run against Prosody's own MUC.
#
# usage: calibrate.sh
#
# A test runner that passes everything proves nothing, so before the seed
# scripts are trusted to judge mucd, the runner is judged on a MUC whose
# behaviour the seeds were written from: Prosody's builtin MUC.
#
#   1. Every seed script (../shared/seeds/*.scs next to the repository, or
#      $SEEDS_DIR) must PASS against Prosody's builtin MUC.
#   2. Copies of seeds, each broken on purpose in one place, must each
#      FAIL, and at the action that contains the breakage (a failure
#      elsewhere would mean the runner fails for the wrong reason):
#        - a wrong status code (110 -> 111) in a strict <x/> payload;
#        - a child missing from a strict element (<status code='201'/>);
#        - a wrong affiliation attribute (owner -> admin);
#        - a wrong expected text: the invitation's <body/>;
#        - a wrong expected text: a kick <reason/>.
#
# Both stages go through run-suite.sh, so each script gets a fresh Prosody.
# Exit status: 0 calibrated, 1 not, 77 when the seeds directory is missing
# (ctest reports the test as skipped).  SCANSION_RUN, KEEP_TMP and TMPDIR
# are passed on to run-suite.sh (see there).

set -euo pipefail
HARNESS_NAME=calibrate.sh
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=tests/harness/lib.sh
source "$here/lib.sh"

seeds=${SEEDS_DIR:-$here/../../../shared/seeds}
if [[ ! -d "$seeds" ]]; then
	echo "calibration skipped: ../shared/seeds not found"
	exit 77
fi
seeds=$(cd "$seeds" && pwd -P)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mucd-calibrate.XXXXXX")
cleanup() {
	if [[ "${KEEP_TMP:-0}" == 1 ]]; then
		harness_say "kept $tmp"
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT

# --- Stage 1: the seeds pass ------------------------------------------------

echo "== stage 1: every seed passes against Prosody's builtin MUC"
shopt -s nullglob
seed_files=("$seeds"/*.scs)
((${#seed_files[@]} > 0)) || harness_die "no .scs files in $seeds"
stage1=0
"$here/run-suite.sh" --host prosody --mode builtin "${seed_files[@]}" || stage1=$?

# --- Stage 2: broken copies fail --------------------------------------------

# The line number of the action (a non-indented line) that a data-block
# line LINE of FILE belongs to.
action_line_of() {
	local file=$1 line=$2
	awk -v want="$line" '
		NR > want { exit }
		/^[^ \t]/ && !/^(#|\/\/|--)/ { action = NR }
		END { print action }
	' "$file"
}

# break_seed SEED NAME SED_PROGRAM: write $tmp/broken/SEED__NAME.scs, the
# seed edited by SED_PROGRAM, and remember at which action line it must
# fail: the action whose block holds the first changed line.
declare -A expect_line=()
break_seed() {
	local seed=$seeds/$1.scs name=$1__$2 program=$3 out first
	out=$tmp/broken/$name.scs
	[[ -f "$seed" ]] || harness_die "seed $seed is missing; calibration needs it"
	sed "$program" "$seed" >"$out"
	first=$(cmp "$seed" "$out" 2>/dev/null | awk '{ print $NF }') || true
	[[ -n "$first" ]] ||
	    harness_die "breaking $1 as '$2' changed nothing: does the seed still contain what we edit?"
	expect_line[$name]=$(action_line_of "$out" "$first")
}

mkdir -p "$tmp/broken"
# GNU sed: "0,/re/" limits a command to the first match in the file.
break_seed muc_password status_110_becomes_111 \
    "0,/code='110'/s/code='110'/code='111'/"
break_seed muc_members_only_change strict_x_lacks_status_201 \
    "0,/<status code='201'\/>/{/<status code='201'\/>/d}"
break_seed muc_members_only_deregister owner_becomes_admin \
    "0,/affiliation='owner'/s/affiliation='owner'/affiliation='admin'/"
break_seed muc_mediated_invite invitation_body_changed \
    "s/invited you to the room room@/invited you to the party room@/"
break_seed muc_show_offline kick_reason_changed \
    "0,/This nickname is reserved/s/This nickname is reserved/This nickname is free/"

echo
echo "== stage 2: every broken copy fails, at the broken action"
broken_files=("$tmp"/broken/*.scs)
# Each broken copy waits for its stanza until the runner's timeout; 2 s is
# plenty on loopback and keeps this stage short.
stage2=0
SCANSION_ARGS=${SCANSION_ARGS:---timeout 2} \
    "$here/run-suite.sh" --host prosody --mode builtin --expect-fail \
    "${broken_files[@]}" | tee "$tmp/stage2.out" || stage2=$?

# run-suite.sh checked that each failed; check that each failed where the
# breakage is.  The runner reports "FAIL name: line N: ...".
for name in "${!expect_line[@]}"; do
	got=$(sed -n "s/^FAIL $name: line \([0-9]*\):.*/\1/p" "$tmp/stage2.out")
	if [[ "$got" != "${expect_line[$name]}" ]]; then
		echo "MISCALIBRATED: $name failed at line ${got:-?}, expected the action at line ${expect_line[$name]}"
		stage2=1
	else
		echo "ok: $name failed at line $got, the broken action"
	fi
done

echo
if ((stage1 == 0 && stage2 == 0)); then
	echo "calibration passed: seeds pass, ${#broken_files[@]} broken copies fail where broken"
	exit 0
fi
((stage1 == 0)) || echo "calibration FAILED: not every seed passes against Prosody's builtin MUC"
((stage2 == 0)) || echo "calibration FAILED: a broken copy did not fail as it should"
exit 1
