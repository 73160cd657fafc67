#!/usr/bin/env bash
#
# deps.sh - install what building and testing mucd needs (Debian 12).
#
# usage: tests/deps.sh
#
# Checks each package with dpkg-query and, when any is missing, installs
# them with apt-get (as root; non-interactive, so it works in CI with no
# stdin).  When everything is there it only checks, which takes well under
# a second.
#
#   build:   build-essential cmake pkg-config
#            libstrophe-dev libxml2-dev libsqlite3-dev libidn-dev libicu-dev
#   fuzzing: clang, and libclang-rt-14-dev (only recommended by clang-14)
#            which holds libFuzzer and the sanitizer runtimes; tests/fuzz
#   tests:   sqlite3 prosody ejabberd
#            and what the harness scripts use: iproute2 (ss), procps (ps),
#            perl (ejabberd's test password checker), util-linux
#            (setsid), coreutils (timeout)
#   clients: what play.sh's server and the real-client tests need:
#            openssl (the self-signed certificate), python3-slixmpp
#            (for Debian's /usr/bin/python3), profanity and tmux (the
#            terminal client and the terminal it runs in)
#
# Installing prosody or ejabberd normally starts their system services.
# The harness never uses those (it runs private servers on random loopback
# ports), so while installing, a policy-rc.d that forbids service starts
# is put in place when the machine has none (containers usually have
# one).  A system Prosody or ejabberd that is running already is left
# alone: it does not get in the way.

set -euo pipefail

packages=(
	build-essential cmake pkg-config
	libstrophe-dev libxml2-dev libsqlite3-dev libidn-dev libicu-dev
	clang libclang-rt-14-dev
	sqlite3 prosody ejabberd
	iproute2 procps perl util-linux coreutils
	openssl python3-slixmpp profanity tmux
)

# Which of the packages are not installed?
missing=()
for p in "${packages[@]}"; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null) || status=
	[[ "$status" == installed ]] || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
	echo "deps.sh: all ${#packages[@]} packages are installed"
	exit 0
fi
echo "deps.sh: installing ${missing[*]}"

sudo=()
if ((EUID != 0)); then
	command -v sudo >/dev/null ||
	    { echo "deps.sh: not root and no sudo; install as root: ${missing[*]}" >&2; exit 1; }
	sudo=(sudo -n)
fi

# Keep services from starting during the install (see the top).
policy=/usr/sbin/policy-rc.d
own_policy=0
if [[ ! -e "$policy" ]]; then
	printf '#!/bin/sh\n# Temporary, from mucd tests/deps.sh.\nexit 101\n' |
	    "${sudo[@]}" tee "$policy" >/dev/null
	"${sudo[@]}" chmod +x "$policy"
	own_policy=1
fi
remove_policy() {
	if ((own_policy)); then
		"${sudo[@]}" rm -f "$policy"
	fi
}
trap remove_policy EXIT

# Recommended packages are wanted: Prosody's recommended lua-event and
# lua-unbound are what it was tested with here.
apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=300 -o Dpkg::Use-Pty=0 -q)
"${apt[@]}" update </dev/null
"${apt[@]}" install -y \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    "${missing[@]}" </dev/null
echo "deps.sh: done"
