#!/usr/bin/env bash
#
# check.sh - build mucd and run every test: the command the README gives.
#
# usage: tests/check.sh        (from anywhere; it works in the repository)
#
#   1. tests/deps.sh installs missing packages (quick when none are);
#   2. cmake configures build/ and builds everything with two jobs;
#   3. ctest runs all registered tests, two at a time, printing the output
#      of the failing ones;
#   4. the fuzz build: clang with libFuzzer, ASan and UBSan configures
#      build-fuzz/ (MUCD_FUZZ=ON), builds only the fuzz targets, the
#      engine and their seeds, and ctest -L fuzz runs each target for a
#      short fixed number of runs (docs/fuzzing.md).  Without clang this
#      step is skipped with a message.
# The exit status is 0 when every test of both builds passed or was
# skipped, else the first failing ctest's.
# Works unattended: CI runs it with CI=true and no standard input.
#
# Environment: BUILD_DIR (default build), JOBS (default 2), CMAKE_ARGS
# (extra configure arguments, e.g. "-DMUCD_EJABBERD_TESTS=OFF"),
# CTEST_ARGS (extra ctest arguments, e.g. "-R seed_"), FUZZ_BUILD_DIR
# (default build-fuzz), FUZZ=0 to leave out step 4.
# SANITIZE=1 makes steps 2 and 3 build everything with AddressSanitizer
# and UndefinedBehaviorSanitizer (-DMUCD_SANITIZE=ON) in build-asan/
# (unless BUILD_DIR says otherwise) and run the same tests: a sanitizer
# report fails the test that caused it, a test program's by its exit
# status, mucd's because tests/harness/mucd.sh finds the report in its
# log.

set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

build=${BUILD_DIR:-build}
jobs=${JOBS:-2}
if [[ "${SANITIZE:-0}" == 1 ]]; then
	build=${BUILD_DIR:-build-asan}
	CMAKE_ARGS="${CMAKE_ARGS:-} -DMUCD_SANITIZE=ON"
	# Leaks count as errors; UBSan stops at the first report, as ASan does.
	export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
	export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
fi

bash tests/deps.sh </dev/null

# shellcheck disable=SC2086  # CMAKE_ARGS and CTEST_ARGS are word lists
cmake -S . -B "$build" ${CMAKE_ARGS:-} </dev/null
cmake --build "$build" -j"$jobs" </dev/null

rc=0
# shellcheck disable=SC2086
ctest --test-dir "$build" --output-on-failure -j"$jobs" ${CTEST_ARGS:-} \
    </dev/null || rc=$?

# 4. The fuzz targets, in a build of their own.
fuzz_build=${FUZZ_BUILD_DIR:-build-fuzz}
if [[ ${FUZZ:-1} == 0 ]]; then
	echo "check.sh: FUZZ=0: not building or running the fuzz targets"
elif ! command -v clang >/dev/null; then
	echo "check.sh: clang is not installed: skipping the fuzz targets" \
	    "(tests/deps.sh installs it as root)"
else
	frc=0
	cmake -S . -B "$fuzz_build" -DCMAKE_C_COMPILER=clang -DMUCD_FUZZ=ON \
	    -DMUCD_HOST_TESTS=OFF </dev/null &&
	    cmake --build "$fuzz_build" -j"$jobs" --target fuzz </dev/null &&
	    ctest --test-dir "$fuzz_build" -L fuzz --output-on-failure \
	    </dev/null || frc=$?
	((rc != 0)) || rc=$frc
fi
exit "$rc"
