#!/bin/sh
# Installs the Debian packages listed in the given files that are missing.
# Uses sudo when not root.  Does nothing when everything is installed.
set -eu
missing=""
for f in "$@"; do
	for p in $(grep -v '^#' "$f" | grep -v '^$'); do
		if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
			missing="$missing $p"
		fi
	done
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
SUDO=""
if [ "$(id -u)" != 0 ]; then
	SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
