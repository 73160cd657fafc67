#!/usr/bin/env bash
#
# terminal.sh - a real terminal client, profanity, under tmux: connect to
# the server play.sh builds, join a room on mucd, configure it with the
# room form, talk, leave, and check what its screen shows and what mucd's
# database says.
#
# usage: terminal.sh       (MUCD=... names the binary, as for mucd.sh)
#
# The server is tests/harness/prosody.sh with PROSODY_CLIENTS=real (as in
# play.sh and slixmpp.sh).  profanity runs with HOME in a temporary
# directory, in a tmux server on a private socket there; keys go in with
# send-keys, the screen comes out with capture-pane.  Every wait is
# bounded (15 s); everything started here (tmux and its profanity, mucd,
# Prosody) is stopped at the end, also on failure, when the last screen
# is printed.  Exit status 0 pass, 1 fail, 77 when profanity or tmux is
# not installed (tests/deps.sh installs both from Debian).

set -euo pipefail
HARNESS_NAME=terminal.sh
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=tests/harness/prosody.sh
source "$here/../harness/prosody.sh"
# shellcheck source=tests/harness/mucd.sh
source "$here/../harness/mucd.sh"

for tool in profanity tmux sqlite3; do
	if ! command -v "$tool" >/dev/null; then
		echo "terminal.sh: SKIP: $tool is not installed (apt-get install $tool)"
		exit 77
	fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mucd-terminal.XXXXXX")
tmux_cmd=(tmux -S "$tmp/tmux.sock")
room=lobby@conference.localhost
cleanup() {
	"${tmux_cmd[@]}" kill-server 2>/dev/null || true
	mucd_stop "$tmp" || true
	prosody_stop "$tmp" || true
	[[ "${KEEP_TMP:-0}" == 1 ]] || rm -rf "$tmp"
}
trap cleanup EXIT

screen() {
	"${tmux_cmd[@]}" capture-pane -p -S -200 -t play 2>/dev/null
}

# fail MESSAGE: say what went wrong, with the last screen and logs.
fail() {
	screen >"$tmp/screen.txt" || true
	harness_die "$1" "$tmp/screen.txt" "$tmp/mucd.log" "$tmp/prosody.log"
}

# wait_screen TEXT: until the screen (with scroll-back) shows TEXT, a
# fixed string; at most 15 s.
wait_screen() {
	local i
	for ((i = 0; i < 150; i++)); do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	fail "the screen never showed '$1'"
}

# type LINE: type LINE and Enter into profanity.
type_line() {
	"${tmux_cmd[@]}" send-keys -t play -l -- "$1"
	"${tmux_cmd[@]}" send-keys -t play Enter
}

# sql QUERY: run QUERY on mucd's database, print the rows.
sql() {
	sqlite3 -cmd '.timeout 2000' "$tmp/mucd.db" "$1"
}

# wait_sql QUERY WANT: until QUERY prints WANT; at most 15 s.
wait_sql() {
	local i
	for ((i = 0; i < 150; i++)); do
		[[ "$(sql "$1")" == "$2" ]] && return 0
		sleep 0.1
	done
	fail "'$1' printed '$(sql "$1")', want '$2'"
}

# 1. The server play.sh builds, mucd attached.
PROSODY_CLIENTS=real PROSODY_LOG_LEVEL=info prosody_start "$tmp" external
MUCD_LOG_LEVEL=info mucd_start "$tmp"
c2s=$(harness_env_get "$tmp/host.env" C2S_PORT)

# 2. profanity, as play.sh tells a user to run it.
mkdir -p "$tmp/home"
"${tmux_cmd[@]}" new-session -d -s play -x 160 -y 50 \
    "env HOME=$tmp/home TERM=xterm-256color profanity"
wait_screen "Type '/help' to show complete help."
type_line "/connect alice@localhost server 127.0.0.1 port $c2s tls trust"
wait_screen "Enter password"
type_line mucd
wait_screen "logged in successfully"
screen | grep -q '\[TLS\]' || fail "profanity does not show [TLS]"

# 3. Join: a new room, locked until its owner configures it.
type_line "/join $room nick alice"
wait_screen "You have joined the room as alice, role: moderator, affiliation: owner"
wait_screen "Room locked, requires configuration."
wait_sql "SELECT occupants FROM occupancy WHERE room = 'lobby'" 1

# 4. Configure with the room form: a title, persistent.
type_line "/room config"
wait_screen "Use '/form submit' to save changes."
screen | grep -q '\[field4\] Persistent (kept when empty): FALSE' ||
    fail "the form does not show field4 as Persistent, FALSE"
type_line "/field1 Playroom"	# one word: profanity takes one
type_line "/field4 on"
type_line "/form submit"
wait_screen "Room configuration successful"
wait_sql "SELECT title FROM rooms WHERE name = 'lobby'" Playroom

# 5. Talk: the message comes back from the room.
type_line "/win 2"
type_line "hello from profanity"
wait_screen "alice: hello from profanity"

# 6. Leave: mucd counts nobody in the room any more; the persistent room
#    stays in the database.
type_line "/close"
wait_sql "SELECT count(*) FROM occupancy WHERE room = 'lobby'" 0
wait_sql "SELECT count(*) FROM rooms WHERE name = 'lobby'" 1
type_line "/quit"
for ((i = 0; i < 50; i++)); do
	"${tmux_cmd[@]}" has-session -t play 2>/dev/null || break
	sleep 0.1
done
grep -q "info conn: connected to" "$tmp/mucd.log" || fail "mucd's log lacks 'connected'"
harness_pid_alive "$(harness_env_get "$tmp/mucd.env" MUCD_PID)" ||
    fail "mucd died"
echo "terminal.sh: ok: profanity joined, configured, talked in and left $room"
