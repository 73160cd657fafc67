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
	    --db --name --admin --log-level --log-format --metrics MUCD_SECRET; do
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

# The operator's check of an installed file whose secret lives in the
# environment file only systemd reads (mucd.service's EnvironmentFile=).
case_dash_n_without_the_secret_passes_and_says_where_it_must_come_from() {
	[ -n "$EXAMPLE" ] || fail "no example config given"
	run -n --config "$EXAMPLE"
	expect_rc 0
	[ "$(cat "$DIR/out")" = "configuration OK" ] || fail "no 'configuration OK'"
	grep -q "note: no secret set here; to run, mucd needs MUCD_SECRET" "$DIR/err" ||
	    fail "no note about the secret"
}

case_bad_log_format_exits_2_with_one_line_naming_it() {
	run -n --domain conference.example.org --log-format xml
	expect_rc 2
	expect_err_line "mucd: --log-format must be text or json"
}

case_bad_metrics_address_exits_2_with_one_line_naming_it() {
	run -n --domain conference.example.org --metrics localhost:9105
	expect_rc 2
	expect_err_line "mucd: --metrics must be ADDRESS:PORT with a numeric address, like 127.0.0.1:9105 or [::1]:9105"
	run -n --domain conference.example.org --metrics '[::1]:9105'
	expect_rc 0
}

# run_briefly ARGS...: mucd towards a closed port (it logs its start and a
# failed attempt), stopped by SIGTERM once the log shows the attempt.
# stderr goes to $DIR/err, appended.
run_briefly() {
	local pid i
	"$MUCD" --domain conference.example.org --secret s --port 1 \
	    --db "$DIR/x.db" "$@" >"$DIR/out" 2>>"$DIR/err" &
	pid=$!
	for ((i = 0; i < 100; i++)); do
		grep -q "retrying in" "$DIR/err" && break
		sleep 0.1
	done
	kill -TERM "$pid"
	wait "$pid"
	RC=$?
}

case_log_format_json_writes_one_object_per_line() {
	run_briefly --log-format json
	expect_rc 0
	/usr/bin/python3 - "$DIR/err" <<'PY' || fail "not one JSON object per line"
import json, re, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert len(lines) >= 4, lines
for line in lines:
    o = json.loads(line)
    assert list(o)[:4] == ["time", "level", "area", "message"], o
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", o["time"]), o
    assert o["level"] in ("debug", "info", "warn", "error"), o
assert any(o["area"] == "conn" and o["level"] == "warn" and
           "retrying in" in o["message"]
           for o in map(json.loads, lines)), lines
PY
}

# Under systemd (JOURNAL_STREAM names stderr): "<N>" priorities, no
# timestamp.  A JOURNAL_STREAM that names another file changes nothing.
case_under_journald_lines_carry_priorities_and_no_timestamp() {
	: >"$DIR/err"
	JOURNAL_STREAM=$(stat -c '%d:%i' "$DIR/err") run_briefly
	expect_rc 0
	head -n 1 "$DIR/err" | grep -q '^<6>info mucd: mucd .* starting' ||
	    fail "the first line is not '<6>info mucd: ...'"
	grep -q '^<4>warn conn: cannot connect to 127.0.0.1:1' "$DIR/err" ||
	    fail "no '<4>warn conn:' line"
	grep -vq '^<[3467]>' "$DIR/err" && fail "a line without a priority"
	: >"$DIR/err"
	JOURNAL_STREAM=1:1 run_briefly
	grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} info mucd: ' "$DIR/err" ||
	    fail "with JOURNAL_STREAM naming another file, no timestamp"
}

fn="case_$CASE"
declare -F "$fn" >/dev/null || { echo "cli: no case $CASE"; exit 2; }
"$fn"
echo "cli: ok $CASE"
