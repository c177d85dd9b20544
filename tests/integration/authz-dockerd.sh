#!/bin/sh
# `hardock authz serve` in front of a real dockerd: the plugin listens on a
# private socket, a spec file /etc/docker/plugins/hardock-test-$$.spec names
# it (dockerd reads .spec files from /etc/docker/plugins and
# /usr/lib/docker/plugins; /run/docker/plugins holds only .sock files), and a private dockerd (its own socket, data and exec roots, pidfile;
# --bridge=none, --iptables=false) starts with
# --authorization-plugin=hardock-test-$$.  `docker create --privileged` and a
# docker.sock mount are refused with the rule id in the CLI's error, a
# privileged exec is refused, and a hardened create, a plain exec and reads
# are accepted.  The image is a `docker import` of a busybox-static rootfs.
# The test removes its containers, spec file and socket and stops dockerd and
# the plugin by their pids.  No daemon is a failure, never a skip.  Prints
# "N passed, N failed".
set -u
: "${HARDOCK:?}"
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
nok() { fail=$((fail + 1)); echo "not ok - $1"; [ -n "${2:-}" ] && [ -f "$2" ] && sed 's/^/#   /' "$2" | tail -20; }
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" = 0 ]
	exit $?
}

if [ "$(id -u)" != 0 ]; then
	nok "dockerd must be started as root"
	finish
fi
for prog in dockerd docker busybox curl; do
	command -v $prog >/dev/null || { nok "needs $prog (apt-get install docker.io busybox-static curl)"; finish; }
done

name="hardock-test-$$"
spec="/etc/docker/plugins/$name.spec"
T=$(mktemp -d /tmp/hd-authzd.XXXXXX)
plugin_pid=
dockerd_pid=
D() { docker -H "unix://$T/docker.sock" "$@"; }
stop() {
	if [ -n "$dockerd_pid" ]; then
		ids=$(D ps -aq 2>/dev/null)
		[ -n "$ids" ] && D rm -f $ids >/dev/null 2>&1
		kill "$dockerd_pid" 2>/dev/null
		i=0
		while kill -0 "$dockerd_pid" 2>/dev/null && [ $i -lt 120 ]; do
			sleep 0.5
			i=$((i + 1))
		done
		kill -9 "$dockerd_pid" 2>/dev/null
	fi
	if [ -n "$plugin_pid" ]; then
		kill "$plugin_pid" 2>/dev/null
		wait "$plugin_pid" 2>/dev/null
	fi
	rm -f "$spec"
	# The plugins folder goes too when this test made it.
	[ -n "${made_plugins_dir:-}" ] && rmdir /etc/docker/plugins 2>/dev/null
	# A daemon that died early can leave its data root mounted.
	grep -o " $T/[^ ]*" /proc/mounts | sort -r | while read -r m; do umount -l "$m"; done
	rm -rf "$T"
}
trap stop EXIT
trap 'exit 1' INT TERM

# The plugin first: dockerd asks it about every request, its own start included.
"$HARDOCK" authz serve --socket "$T/authz.sock" >"$T/plugin.log" 2>&1 &
plugin_pid=$!
i=0
until [ -S "$T/authz.sock" ]; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$plugin_pid" 2>/dev/null; then
		nok "authz serve did not start" "$T/plugin.log"
		finish
	fi
	sleep 0.1
done
if [ ! -d /etc/docker/plugins ]; then
	made_plugins_dir=1
	mkdir -p /etc/docker/plugins
fi
echo "unix://$T/authz.sock" >"$spec"

dockerd --host "unix://$T/docker.sock" --data-root "$T/data" --exec-root "$T/exec" \
	--pidfile "$T/pid" --bridge=none --iptables=false \
	--authorization-plugin="$name" >"$T/dockerd.log" 2>&1 &
dockerd_pid=$!
i=0
until [ -S "$T/docker.sock" ] && D version >/dev/null 2>&1; do
	i=$((i + 1))
	if [ $i -gt 240 ] || ! kill -0 "$dockerd_pid" 2>/dev/null; then
		nok "dockerd did not start" "$T/dockerd.log"
		finish
	fi
	sleep 0.5
done
ok "dockerd started with --authorization-plugin=$name"

# An image from a busybox rootfs (no registry is reachable).
mkdir -p "$T/rootfs/bin"
cp "$(command -v busybox)" "$T/rootfs/bin/busybox"
for a in sh sleep true id; do ln -s busybox "$T/rootfs/bin/$a"; done
tar -C "$T/rootfs" -cf "$T/rootfs.tar" .
if D import "$T/rootfs.tar" hdauthz:1 >"$T/import.out" 2>&1; then ok "docker import (allowed)"; else nok "docker import" "$T/import.out"; finish; fi

# Privileged create: refused, the CLI shows the rule.
if D create --privileged hdauthz:1 sleep 60 >"$T/priv.out" 2>&1; then
	nok "docker create --privileged was accepted" "$T/priv.out"
else
	grep -q "authorization denied by plugin $name" "$T/priv.out" && grep -q 'container/privileged' "$T/priv.out" &&
		ok "docker create --privileged refused with the rule id" || nok "privileged: unexpected error" "$T/priv.out"
fi
# The engine's socket mounted: refused.
if D create -v /var/run/docker.sock:/var/run/docker.sock hdauthz:1 sleep 60 >"$T/sock.out" 2>&1; then
	nok "docker.sock mount was accepted" "$T/sock.out"
else
	grep -q 'container/docker-socket-mount' "$T/sock.out" && ok "docker.sock mount refused" || nok "docker.sock: unexpected error" "$T/sock.out"
fi
# A hardened create: accepted.
if D create --name hard --user 1000:1000 --read-only --cap-drop ALL \
	--security-opt no-new-privileges:true --memory 64m --cpus 0.5 --pids-limit 64 \
	--restart on-failure:3 --health-cmd 'true' --network none hdauthz:1 sleep 600 >"$T/hard.out" 2>&1; then
	ok "hardened docker create accepted"
else
	nok "hardened docker create refused" "$T/hard.out"
fi
# Reads pass.
D ps -a >"$T/ps.out" 2>&1 && grep -q hard "$T/ps.out" && ok "docker ps allowed" || nok "docker ps" "$T/ps.out"

# Exec: plain allowed, privileged refused (the container must run).
if D start hard >"$T/start.out" 2>&1; then
	ok "docker start allowed"
	if D exec hard id >"$T/exec.out" 2>&1; then ok "plain exec allowed"; else nok "plain exec refused" "$T/exec.out"; fi
	if D exec --privileged hard id >"$T/pexec.out" 2>&1; then
		nok "privileged exec accepted" "$T/pexec.out"
	else
		grep -q "authorization denied by plugin $name" "$T/pexec.out" && ok "privileged exec refused" || nok "privileged exec: unexpected error" "$T/pexec.out"
	fi
else
	nok "docker start refused" "$T/start.out"
fi

# The plugin logged the denies with their rule ids.
grep -q '"rules":\["container/privileged"' "$T/plugin.log" && ok "deny logged with rule ids" || nok "deny log" "$T/plugin.log"

finish
