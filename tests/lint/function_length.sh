#!/usr/bin/env bash
#
# function_length.sh - no function in lib/ or component/ over 80 lines.
#
# usage: tests/lint/function_length.sh [MAX [DIR...]]
#        (defaults: 80, and lib component of the repository)
#
# The code's style (OpenBSD-ish, .clang-format) puts the opening brace of
# a function alone on a line at column 0 and the closing brace at column
# 0, so a function is a "{" line through the next line that starts with
# "}".  Its length counts both brace lines; its name is the last line
# before the brace that starts at column 0 with an identifier and "(".
# Every offender is printed as "file:line: name is N lines (max MAX)",
# with the line of the function's name; the exit status is 1 when there
# is one, 0 otherwise.  The rule is the project's (docs: COMMON code
# rules), meant to catch long functions early, not to count exactly.

set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

max=${1:-80}
shift || true
dirs=("$@")
((${#dirs[@]} > 0)) || dirs=(lib component)

files=()
while IFS= read -r f; do
	files+=("$f")
done < <(find "${dirs[@]}" -name '*.c' -type f | LC_ALL=C sort)

bad=0
for f in "${files[@]}"; do
	awk -v max="$max" -v file="$f" '
	# The most recent column-0 "name(" line, as the function name.
	/^[A-Za-z_][A-Za-z0-9_]*\(/ && !infn {
		name = $0; sub(/\(.*/, "", name); nameline = FNR
	}
	/^\{[ \t]*$/ && !infn { infn = 1; start = FNR; next }
	/^\}/ && infn {
		infn = 0
		len = FNR - start + 1
		if (len > max) {
			printf "%s:%d: %s is %d lines (max %d)\n", file,
			    nameline, name, len, max
			bad = 1
		}
	}
	END { exit bad }
	' "$f" || bad=1
done
if ((bad)); then
	echo "function_length: functions over $max lines above" >&2
	exit 1
fi
echo "function_length: no function in ${dirs[*]} is over $max lines"
