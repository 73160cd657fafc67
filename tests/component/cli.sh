#!/bin/bash
#
# cli.sh - the mucd command line as an operator meets it: -n, --help,
# --version, and the one-line errors with exit status 2.
#
# usage: cli.sh CASE MUCD [EXAMPLE_CONF]
#
# No server is needed: every case stops before mucd opens the network.  Exit status: 0 pass, 1 fail.

set -u

CASE=${1:?usage: cli.sh CASE MUCD [EXAMPLE_CONF]}
MUCD=${2:?usage: cli.sh CASE MUCD [EXAMPLE_CONF]}
EXAMPLE=${3:-}

DIR=$(mktemp -d /tmp/mucd-cli.XXXXXX)
trap 'rm -rf "$DIR"' EXIT
unset MUCD_SECRET

fail() {
	echo "cli: FAIL: $*"
	for f in "$DIR/out" "$DIR/err"; do
		[ -s "$f" ] && { echo "---- $f"; cat "$f"; }
	done
	exit 1
}

# run ARGS...: mucd with stdout and stderr captured; sets RC.
run() {
	"$MUCD" "$@" >"$DIR/out" 2>"$DIR/err"
	RC=$?
}

expect_rc() { [ "$RC" -eq "$1" ] || fail "exit status $RC, want $1"; }
expect_err_line() {
	[ "$(wc -l <"$DIR/err")" -eq 1 ] || fail "stderr is not one line"
	[ "$(cat "$DIR/err")" = "$1" ] || fail "stderr is '$(cat "$DIR/err")', want '$1'"
	[ ! -s "$DIR/out" ] || fail "stdout is not empty"
}

case_dash_n_prints_configuration_ok_and_exits_0() {
	run -n --domain conference.example.org --secret s --db "$DIR/x.db"
	expect_rc 0
	[ "$(cat "$DIR/out")" = "configuration OK" ] || fail "no 'configuration OK'"
	[ ! -e "$DIR/x.db" ] || fail "-n created the database"
}

case_missing_domain_exits_2_with_one_line_naming_it() {
	run --secret s
	expect_rc 2
	expect_err_line "mucd: --domain is required (or domain = ... in the config file)"
}

case_missing_secret_exits_2_with_one_line_naming_it() {
	run --domain conference.example.org
	expect_rc 2
	expect_err_line "mucd: --secret is required (or MUCD_SECRET, or secret = ... in the config file)"
}

case_secret_from_the_environment_is_enough() {
	MUCD_SECRET=fromenv "$MUCD" -n --domain conference.example.org \
	    >"$DIR/out" 2>"$DIR/err"
	RC=$?
	expect_rc 0
}

case_bad_port_in_the_file_exits_2_naming_file_and_line() {
	printf 'domain = conference.example.org\nsecret = s\n\nport = 99999\n' >"$DIR/mucd.conf"
	run -n --config "$DIR/mucd.conf"
	expect_rc 2
	expect_err_line "$DIR/mucd.conf:4: port must be 1-65535"
}

case_unknown_key_in_the_file_exits_2_naming_its_line() {
	printf '# test\ndomain = conference.example.org\nsecrte = s\n' >"$DIR/mucd.conf"
	run -n --config "$DIR/mucd.conf"
	expect_rc 2
	expect_err_line "$DIR/mucd.conf:3: unknown option 'secrte'"
}

case_help_lists_every_option_and_exits_0() {
	local o
	run --help
	expect_rc 0
	for o in --config -n --help --version --domain --host --port --secret \
	    --db --name --admin --log-level MUCD_SECRET; do
		grep -q -- "$o" "$DIR/out" || fail "--help does not mention $o"
	done
}

case_version_prints_the_version_and_exits_0() {
	run --version
	expect_rc 0
	grep -qE '^mucd [0-9]+\.[0-9]+' "$DIR/out" || fail "no version line"
}

# Startup failures after the settings were accepted are status 1, logged.
case_unopenable_database_exits_1_with_a_log_line() {
	run --domain conference.example.org --secret s --db "$DIR/no/such/dir/x.db"
	expect_rc 1
	grep -q "warn mucd: cannot open the database $DIR/no/such/dir/x.db" "$DIR/err" ||
	    fail "no log line naming the database"
}

case_the_example_config_passes_dash_n() {
	[ -n "$EXAMPLE" ] || fail "no example config given"
	MUCD_SECRET=s "$MUCD" -n --config "$EXAMPLE" >"$DIR/out" 2>"$DIR/err"
	RC=$?
	expect_rc 0
	[ "$(cat "$DIR/out")" = "configuration OK" ] || fail "no 'configuration OK'"
}

fn="case_$CASE"
declare -F "$fn" >/dev/null || { echo "cli: no case $CASE"; exit 2; }
"$fn"
echo "cli: ok $CASE"
