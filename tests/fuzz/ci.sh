#!/usr/bin/env bash
#
# ci.sh - run one libFuzzer target for a fixed number of runs, as ctest does.
#
# usage: tests/fuzz/ci.sh TARGET WORKDIR RUNS SEEDDIR... [-- FLAG...]
#
# WORKDIR is emptied first and receives the inputs the run finds new, so
# each ctest run starts from the seeds alone and, with a fixed -seed, does
# the same work: a failure reproduces.  Flags after "--" go to the target
# (a dictionary, -max_len).  The exit status is the target's: 0, or
# libFuzzer's non-zero after a crash, a leak or a sanitizer report, whose
# input is written to WORKDIR/crash-* (the path is printed).

set -euo pipefail

(($# >= 4)) || { echo "usage: $0 TARGET WORKDIR RUNS SEEDDIR... [-- FLAG...]" >&2; exit 2; }
target=$1 work=$2 runs=$3
shift 3
seeds=()
while (($# > 0)) && [[ $1 != -- ]]; do
	seeds+=("$1")
	shift
done
(($# > 0)) && shift	# the "--"

rm -rf "$work"
mkdir -p "$work"
exec "$target" -runs="$runs" -seed=1 -print_final_stats=1 \
    -artifact_prefix="$work/" "$@" "$work" "${seeds[@]}"
