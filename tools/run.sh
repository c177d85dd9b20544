#!/bin/sh
# `make run`: the main job.  Audits this machine (host, daemon and, when one
# is reachable, the engine), then lints examples/.  Findings are the point of
# the report, so exit 1 from hardock is not a failure here; exit 2 (an error)
# or a crash is.
set -u
hardock=${1:-build/hardock}
status=0

section() {
	printf '\n==== %s ====\n\n' "$1"
}

step() {
	"$hardock" "$@"
	code=$?
	if [ $code -gt 1 ]; then
		echo "hardock $*: exit $code" >&2
		status=$code
	fi
}

if "$hardock" help audit >/dev/null 2>&1; then
	section "Audit of this machine (hardock audit)"
	"$hardock" audit
	code=$?
	# Exit 2 from audit means part of it could not be done (e.g. no engine);
	# the report above says what.
	[ $code -gt 2 ] && status=$code
else
	section "Audit"
	echo "this build of hardock has no audit command yet"
fi

section "Lint of examples/insecure (hardock lint examples/insecure)"
step lint examples/insecure

section "Lint of examples/hardened (hardock lint examples/hardened)"
step lint examples/hardened

exit $status
