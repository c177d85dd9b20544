#!/bin/sh
# `hardock authz serve` in front of a real dockerd, one test per class of
# request of issue 9 that used to get through, each asserting that dockerd
# refused it on the plugin's word (HTTP 403 "authorization denied by plugin")
# and that nothing was created; then that ordinary work still passes; then
# a second plugin with a root-owned policy file (trusted registry, digest
# required, no-pids-limit enforced): creates and pulls from elsewhere or by
# tag and an update removing the pids limit are refused, a pinned pull from
# the trusted registry passes the plugin; then a third with trusted
# registries only: tag, commit, import and build into the trusted
# registry's names and docker load are refused; then,
# as a control, the same requests against the same daemon started without
# the plugin, asserting that each does what its class says (so every test
# above exercised something dockerd really obeys).
#
# The plugin's spec file is placed without touching the host's /etc: the
# script re-runs itself in a private mount namespace (unshare -m) where a
# private directory is bind-mounted over /etc/docker; dockerd, started in
# that namespace, reads /etc/docker/plugins/hardock.spec from there.  The
# daemon has its own socket, data and exec roots, pidfile, no bridge and
# no iptables; the image is a `docker import` of a busybox-static rootfs.
# The test removes its containers and volumes, stops dockerd and the plugin
# by their pids, kills what still runs from its directory and unmounts what
# is left there.  No daemon is a failure, never a skip.  Prints
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
for prog in dockerd docker busybox curl unshare; do
	command -v $prog >/dev/null || { nok "needs $prog (apt-get install docker.io busybox-static curl util-linux)"; finish; }
done
if [ ! -d /etc/docker ]; then
	nok "/etc/docker is missing (the docker.io package provides it)"
	finish
fi
# Into a private mount namespace, where /etc/docker can be ours.
if [ "${HD_AUTHZ_PRIVATE_NS:-}" != 1 ]; then
	HD_AUTHZ_PRIVATE_NS=1 exec unshare -m --propagation private sh "$0" "$@"
fi

PY=/usr/bin/python3
T=$(mktemp -d /tmp/hd-authzd.XXXXXX)
chmod 755 "$T"
plugin_pid=
policy_pid=
dockerd_pid=
D() { docker -H "unix://$T/docker.sock" "$@"; }
# api METHOD PATH [BODY-FILE]: the answer in $T/resp, the HTTP status echoed.
api() {
	if [ -n "${3:-}" ]; then
		curl -s -o "$T/resp" -w '%{http_code}' --max-time 60 --unix-socket "$T/docker.sock" \
			-X "$1" -H 'Content-Type: application/json' --data-binary "@$3" "http://docker$2"
	else
		curl -s -o "$T/resp" -w '%{http_code}' --max-time 60 --unix-socket "$T/docker.sock" \
			-X "$1" "http://docker$2"
	fi
}
body() { printf '%s' "$2" >"$T/$1.json"; echo "$T/$1.json"; }
refused() { # NAME STATUS: 403 with the plugin's message
	if [ "$2" = 403 ] && grep -q 'authorization denied by plugin hardock' "$T/resp"; then
		ok "$1: refused by the plugin"
	else
		nok "$1: not refused (HTTP $2)" "$T/resp"
	fi
}

stop_dockerd() { # [keep]: leave the containers for the next start
	[ -n "$dockerd_pid" ] || return 0
	if [ "${1:-}" != keep ]; then
		ids=$(D ps -aq 2>/dev/null)
		[ -n "$ids" ] && D rm -f $ids >/dev/null 2>&1
		vols=$(D volume ls -q 2>/dev/null)
		[ -n "$vols" ] && D volume rm -f $vols >/dev/null 2>&1
	fi
	kill "$dockerd_pid" 2>/dev/null
	i=0
	while kill -0 "$dockerd_pid" 2>/dev/null && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -9 "$dockerd_pid" 2>/dev/null
	wait "$dockerd_pid" 2>/dev/null
	dockerd_pid=
}
stop() {
	stop_dockerd
	for p in $plugin_pid $policy_pid; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	pkill -KILL -f -- "$T/" 2>/dev/null
	awk -v t="$T" 'index($2, t) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do
		umount -l "$m" 2>/dev/null
	done
	umount -l /etc/docker 2>/dev/null
	rm -rf "$T"
}
trap stop EXIT
trap 'exit 1' INT TERM

# /etc/docker of this namespace only.
mkdir -p "$T/etc-docker/plugins"
mount --bind "$T/etc-docker" /etc/docker || { nok "cannot mount a private /etc/docker"; finish; }
echo "unix://$T/authz.sock" >/etc/docker/plugins/hardock.spec
[ ! -e /proc/1/root/etc/docker/plugins/hardock.spec ] && ok "spec file placed in this namespace only" ||
	nok "the spec file is visible outside the namespace"

start_dockerd() { # [ARGS...]
	dockerd --host "unix://$T/docker.sock" --data-root "$T/data" --exec-root "$T/exec" \
		--pidfile "$T/pid" --bridge=none --iptables=false --ip-forward=false --ip-masq=false \
		"$@" >>"$T/dockerd.log" 2>&1 &
	dockerd_pid=$!
	i=0
	until [ -S "$T/docker.sock" ] && D version >/dev/null 2>&1; do
		i=$((i + 1))
		if [ $i -gt 600 ] || ! kill -0 "$dockerd_pid" 2>/dev/null; then
			return 1
		fi
		sleep 0.1
	done
	return 0
}

# The plugin first: dockerd asks it about every request.
"$HARDOCK" authz serve --socket "$T/authz.sock" --log "$T/decisions.log" >"$T/plugin.log" 2>&1 &
plugin_pid=$!
i=0
until grep -q listening "$T/plugin.log" 2>/dev/null; do
	i=$((i + 1))
	if [ $i -gt 200 ] || ! kill -0 "$plugin_pid" 2>/dev/null; then
		nok "authz serve did not start" "$T/plugin.log"
		finish
	fi
	sleep 0.05
done
if start_dockerd --authorization-plugin=hardock; then
	ok "dockerd started with --authorization-plugin=hardock"
else
	nok "dockerd did not start" "$T/dockerd.log"
	finish
fi

# An image from a busybox rootfs (no registry is reachable).
mkdir -p "$T/rootfs/bin" "$T/rootfs/etc"
cp "$(command -v busybox)" "$T/rootfs/bin/busybox"
for a in sh sleep true id cat ls; do ln -s busybox "$T/rootfs/bin/$a"; done
echo 'root:x:0:0:root:/root:/bin/sh' >"$T/rootfs/etc/passwd"
tar -C "$T/rootfs" -cf "$T/rootfs.tar" .
if D import "$T/rootfs.tar" hdauthz:1 >"$T/import.out" 2>&1; then ok "docker import (allowed)"; else nok "docker import" "$T/import.out"; finish; fi

# ---- the classes of issue 9: each refused, nothing created ----------------------------

# Lowercase JSON keys (Go matches keys without case), and the old top-level HostConfig.
lc=$(body lc '{"Image":"hdauthz:1","Cmd":["sleep","600"],"hostconfig":{"binds":["/:/host"],"capadd":["SYS_ADMIN"],"pidmode":"host"}}')
refused "lowercase hostconfig keys (binds /, capadd, pidmode)" "$(api POST /v1.41/containers/create?name=lc "$lc")"
lcp=$(body lcp '{"Image":"hdauthz:1","Cmd":["sleep","600"],"HostConfig":{"privileged":true}}')
refused "lowercase \"privileged\"" "$(api POST /v1.41/containers/create?name=lcp "$lcp")"
kel=$(body kel '{"Image":"hdauthz:1","Cmd":["sleep","600"],"HostConfig":{"Privileged":false,"privileged":true}}')
refused "last duplicate key wins (Privileged false then privileged true)" "$(api POST /v1.41/containers/create?name=kel "$kel")"
top=$(body top '{"Image":"hdauthz:1","Cmd":["sleep","600"],"Binds":["/:/host"],"Privileged":true}')
refused "host settings at the top level of the body" "$(api POST /v1.24/containers/create?name=top "$top")"

# Percent-encoded paths.
priv=$(body priv '{"Image":"hdauthz:1","Cmd":["sleep","600"],"HostConfig":{"Privileged":true}}')
refused "POST /v1.41/containers/%63reate" "$(api POST '/v1.41/containers/%63reate?name=pe1' "$priv")"
refused "POST /v1.41/containers%2Fcreate" "$(api POST '/v1.41/containers%2Fcreate?name=pe2' "$priv")"
refused "POST /containers/create without a version" "$(api POST '/containers/create?name=pe3' "$priv")"

# Capability names as dockerd normalises them: any case, with or without CAP_.
capl=$(body capl '{"Image":"hdauthz:1","Cmd":["sleep","600"],"HostConfig":{"CapAdd":["cap_sys_admin"]}}')
refused "CapAdd cap_sys_admin (lower case with the prefix)" "$(api POST /v1.41/containers/create?name=capl "$capl")"
capm=$(body capm '{"Image":"hdauthz:1","Cmd":["sleep","600"],"HostConfig":{"CapAdd":["Sys_Admin"]}}')
refused "CapAdd Sys_Admin (mixed case, no prefix)" "$(api POST /v1.41/containers/create?name=capm "$capm")"

# --security-opt systempaths=unconfined, which the CLI sends as empty MaskedPaths and ReadonlyPaths.
if D create --name sysp --security-opt systempaths=unconfined hdauthz:1 sleep 60 >"$T/resp" 2>&1; then
	nok "systempaths=unconfined was accepted" "$T/resp"
else
	grep -q 'container/systempaths-unconfined' "$T/resp" && ok "systempaths=unconfined refused (sent as empty MaskedPaths)" ||
		nok "systempaths: unexpected error" "$T/resp"
fi

# Old-API start with a HostConfig body.
plain=$(body plain '{"Image":"hdauthz:1","Cmd":["sleep","600"]}')
code=$(api POST '/v1.41/containers/create?name=victim' "$plain")
[ "$code" = 201 ] && ok "a plain create is allowed" || nok "plain create: $code" "$T/resp"
oldstart=$(body oldstart '{"Binds":["/:/host"],"CapAdd":["SYS_ADMIN"],"PidMode":"host"}')
refused "POST /v1.23/containers/ID/start with a HostConfig body" "$(api POST /v1.23/containers/victim/start "$oldstart")"
[ "$(D inspect -f '{{.State.Running}}' victim 2>/dev/null)" = false ] && ok "the container did not start" ||
	nok "the container started"

# Exec: lowercase privileged, and a body over 1 MiB that dockerd does not forward.
code=$(api POST /v1.41/containers/victim/start)
[ "$code" = 204 ] && ok "a plain start is allowed" || nok "plain start: $code" "$T/resp"
lcexec=$(body lcexec '{"Cmd":["id"],"privileged":true}')
refused "exec with lowercase \"privileged\"" "$(api POST /v1.41/containers/victim/exec "$lcexec")"
$PY -c 'import json; print(json.dumps({"Cmd": ["id"], "Privileged": True, "Env": ["PAD=" + "x" * (1100 * 1024)]}))' >"$T/bigexec.json"
refused "exec with a body over 1 MiB (not forwarded)" "$(api POST /v1.41/containers/victim/exec "$T/bigexec.json")"
refused "exec with no body at all" "$(api POST /v1.41/containers/victim/exec)"
n_execs=$(D inspect -f '{{len .ExecIDs}}' victim 2>/dev/null)
[ "${n_execs:-x}" = 0 ] && ok "no exec was created" || nok "execs were created: $n_execs"

# Other sockets: the protected daemon's own, and any unix socket on the host.
if D create -v "$T/docker.sock:/var/run/docker.sock" hdauthz:1 sleep 60 >"$T/resp" 2>&1; then
	nok "the daemon's own socket was mounted" "$T/resp"
else
	grep -q 'authorization denied by plugin hardock' "$T/resp" && grep -q 'container/docker-socket-mount' "$T/resp" &&
		ok "the protected daemon's socket refused (container/docker-socket-mount)" || nok "own socket: unexpected error" "$T/resp"
fi
mkdir -p "$T/elsewhere"
$PY -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$T/elsewhere/api"
if D create -v "$T/elsewhere/api:/run/api.sock" hdauthz:1 sleep 60 >"$T/resp" 2>&1; then
	nok "a unix socket under another name was mounted" "$T/resp"
else
	grep -q 'unix socket on the host' "$T/resp" && ok "a unix socket under another name refused" || nok "other socket" "$T/resp"
fi

# Volumes that bind a host path: in a container's Mounts, and created on their own.
volmount=$(body volmount '{"Image":"hdauthz:1","Cmd":["sleep","600"],"HostConfig":{"Mounts":[{"Type":"volume","Source":"rootvol","Target":"/host","VolumeOptions":{"DriverConfig":{"Name":"local","Options":{"type":"none","o":"bind","device":"/"}}}}]}}')
refused "Mounts[].VolumeOptions.DriverConfig binding /" "$(api POST /v1.41/containers/create?name=vm "$volmount")"
volcreate=$(body volcreate '{"Name":"rootvol2","Driver":"local","DriverOpts":{"type":"none","o":"bind","device":"/"}}')
refused "POST /volumes/create binding /" "$(api POST /v1.41/volumes/create "$volcreate")"
D volume inspect rootvol2 >/dev/null 2>&1 && nok "volume rootvol2 exists" || ok "no bind volume was created"

# Other endpoints: services and plugins.
svc=$(body svc '{"Name":"s1","TaskTemplate":{"ContainerSpec":{"Image":"hdauthz:1","Mounts":[{"Type":"bind","Source":"/var/run/docker.sock","Target":"/var/run/docker.sock"}],"CapabilityAdd":["CAP_SYS_ADMIN"]}}}')
refused "POST /services/create with docker.sock and CAP_SYS_ADMIN" "$(api POST /v1.41/services/create "$svc")"
plug=$(body plug '[{"Name":"capabilities","Description":"","Value":["CAP_SYS_ADMIN"]}]')
refused "POST /plugins/pull asking for CAP_SYS_ADMIN" "$(api POST '/v1.41/plugins/pull?remote=example.com/evil:1&name=evil' "$plug")"
refused "POST /plugins/create (a config the plugin cannot see)" "$(api POST '/v1.41/plugins/create?name=p2' "$plain")"

made=
for n in lc lcp kel top pe1 pe2 pe3 capl capm vm sysp; do
	D inspect "$n" >/dev/null 2>&1 && made="$made $n"
done
[ -z "$made" ] && ok "no container was created by a refused request" || nok "containers created:$made"

# ---- ordinary work passes -----------------------------------------------------------------
if D create --name hard --user 1000:1000 --read-only --cap-drop ALL \
	--security-opt no-new-privileges:true --memory 64m --cpus 0.5 --pids-limit 64 \
	--restart on-failure:3 --health-cmd 'true' --network none hdauthz:1 sleep 600 >"$T/hard.out" 2>&1; then
	ok "hardened docker create allowed"
else
	nok "hardened docker create refused" "$T/hard.out"
fi
D start hard >"$T/out" 2>&1 && ok "docker start allowed" || nok "docker start" "$T/out"
D exec hard id >"$T/out" 2>&1 && ok "plain exec allowed" || nok "plain exec" "$T/out"
D ps -a >"$T/out" 2>&1 && grep -q hard "$T/out" && ok "docker ps allowed" || nok "docker ps" "$T/out"
D logs hard >"$T/out" 2>&1 && ok "docker logs allowed" || nok "docker logs" "$T/out"
D volume create plainvol >"$T/out" 2>&1 && ok "plain volume create allowed" || nok "plain volume create" "$T/out"
D run --rm -v plainvol:/data hdauthz:1 ls /data >"$T/out" 2>&1 && ok "docker run with a named volume allowed" || nok "run with a volume" "$T/out"
D update --memory 128m hard >"$T/out" 2>&1 && ok "docker update --memory allowed" || nok "docker update" "$T/out"
D stop -t 1 hard >"$T/out" 2>&1 && D rm hard >>"$T/out" 2>&1 && ok "docker stop and rm allowed" || nok "stop/rm" "$T/out"
okbuild=$(mktemp -d "$T/build.XXXXXX")
printf 'FROM hdauthz:1\nRUN id\n' >"$okbuild/Dockerfile"
DOCKER_BUILDKIT=0 D build -q -t hdauthz:2 "$okbuild" >"$T/out" 2>&1 && ok "docker build allowed" || nok "docker build" "$T/out"
svc2=$(body svc2 '{"Name":"s2","TaskTemplate":{"ContainerSpec":{"Image":"hdauthz:1","Command":["sleep","60"],"User":"1000"}}}')
code=$(api POST /v1.41/services/create "$svc2")
[ "$code" != 403 ] && grep -q 'not a swarm manager' "$T/resp" && ok "an ordinary service create passes the plugin (dockerd: not a swarm manager)" ||
	nok "ordinary service create: $code" "$T/resp"

# The decision log has one JSON line per decision, with the rule ids of the denies.
$PY - "$T/decisions.log" >"$T/logcheck" 2>&1 <<'EOF'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
decisions = [d for d in lines if "decision" in d]
denies = [d for d in decisions if d["decision"] == "deny"]
rules = {r for d in denies for r in d["rules"]}
print(len(decisions), "decisions,", len(denies), "denies, rules:", sorted(rules))
need = {"container/privileged", "container/docker-socket-mount", "container/sensitive-host-mount", "engine/exec-privileged"}
sys.exit(0 if need <= rules and all(set(d) >= {"user", "method", "uri", "endpoint", "decision", "rules"} for d in decisions) else 1)
EOF
[ $? = 0 ] && ok "decision log: JSON lines with the rule ids" || nok "decision log" "$T/logcheck"

# ---- a policy file: content trust at create and at pull, container update ----------------
# A second plugin, with a root-owned policy, registered as hardock-policy.
# The trusted registry is 127.0.0.1:9, where nothing listens: a pull the
# plugin lets through fails at once in dockerd instead.
stop_dockerd keep
printf 'trusted-registries: [127.0.0.1:9]\nrequire-digest: true\ndeny-rules: [container/no-pids-limit]\n' >"$T/policy.yml"
chmod 644 "$T/policy.yml"
echo "unix://$T/authz-policy.sock" >/etc/docker/plugins/hardock-policy.spec
"$HARDOCK" authz serve --socket "$T/authz-policy.sock" --policy "$T/policy.yml" \
	--log "$T/decisions-policy.log" >"$T/plugin-policy.log" 2>&1 &
policy_pid=$!
i=0
until grep -q listening "$T/plugin-policy.log" 2>/dev/null; do
	i=$((i + 1))
	if [ $i -gt 200 ] || ! kill -0 "$policy_pid" 2>/dev/null; then
		nok "authz serve --policy did not start" "$T/plugin-policy.log"
		finish
	fi
	sleep 0.05
done
if start_dockerd --authorization-plugin=hardock-policy; then
	ok "dockerd restarted with --authorization-plugin=hardock-policy"
else
	nok "dockerd did not restart with the policy plugin" "$T/dockerd.log"
	finish
fi
digest=sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
if D create --name untrusted hdauthz:1 sleep 60 >"$T/resp" 2>&1; then
	nok "create of an image from an untrusted registry allowed" "$T/resp"
else
	grep -q 'authorization denied by plugin hardock-policy' "$T/resp" && grep -q 'container/untrusted-registry' "$T/resp" &&
		ok "create: an image from an untrusted registry refused" || nok "untrusted create: unexpected error" "$T/resp"
fi
if D create --name bytag 127.0.0.1:9/app:1 sleep 60 >"$T/resp" 2>&1; then
	nok "create of a trusted image by tag allowed" "$T/resp"
else
	grep -q 'container/image-not-pinned' "$T/resp" && ok "create: a trusted image by tag only refused (digest required)" ||
		nok "create by tag: unexpected error" "$T/resp"
fi
code=$(api POST '/v1.41/images/create?fromImage=busybox&tag=1.36')
[ "$code" = 403 ] && grep -q 'authorization denied by plugin hardock-policy' "$T/resp" && grep -q 'container/untrusted-registry' "$T/resp" &&
	ok "pull (POST /images/create) from an untrusted registry refused" || nok "untrusted pull: $code" "$T/resp"
code=$(api POST '/v1.41/images/create?fromImage=127.0.0.1%3A9%2Fapp&tag=1')
[ "$code" = 403 ] && grep -q 'container/image-not-pinned' "$T/resp" &&
	ok "pull of a trusted image by tag only refused" || nok "pull by tag: $code" "$T/resp"
# Passed by the plugin: dockerd tries the registry (nothing there) and fails on its own.
if D pull "127.0.0.1:9/app@$digest" >"$T/resp" 2>&1; then
	nok "the pinned pull succeeded?" "$T/resp"
elif grep -q 'authorization denied' "$T/resp"; then
	nok "a pinned pull from the trusted registry refused by the plugin" "$T/resp"
else
	ok "a pinned pull from the trusted registry passes the plugin (dockerd: $(tail -1 "$T/resp" | cut -c1-70))"
fi
# Container update: removing the pids limit is refused, setting one passes.
D update --pids-limit 50 victim >"$T/resp" 2>&1 && ok "docker update --pids-limit 50 allowed" || nok "update --pids-limit 50" "$T/resp"
if D update --pids-limit -1 victim >"$T/resp" 2>&1; then
	nok "docker update --pids-limit -1 allowed" "$T/resp"
else
	grep -q 'authorization denied by plugin hardock-policy' "$T/resp" && grep -q 'container/no-pids-limit' "$T/resp" &&
		ok "docker update --pids-limit -1 refused" || nok "update --pids-limit -1: unexpected error" "$T/resp"
fi
# The API's 0 also means unlimited in an update (the CLI sends nothing for --pids-limit 0).
pids0=$(body pids0 '{"PidsLimit":0}')
code=$(api POST /v1.41/containers/victim/update "$pids0")
[ "$code" = 403 ] && grep -q 'container/no-pids-limit' "$T/resp" && ok "update {\"PidsLimit\":0} refused" ||
	nok "update PidsLimit 0: $code" "$T/resp"
[ "$(D inspect -f '{{.HostConfig.PidsLimit}}' victim 2>/dev/null)" = 50 ] && ok "the pids limit stayed 50" ||
	nok "pids limit is $(D inspect -f '{{.HostConfig.PidsLimit}}' victim 2>/dev/null)"
D ps -a >"$T/out" 2>&1 && grep -q victim "$T/out" && ok "docker ps allowed under the policy" || nok "docker ps under the policy" "$T/out"
grep -q '"decision":"deny".*"rules":\["container/no-pids-limit"\]' "$T/decisions-policy.log" &&
	ok "the policy plugin logged the update deny with its rule" || nok "policy decision log" "$T/decisions-policy.log"
stop_dockerd keep
kill "$policy_pid" 2>/dev/null
wait "$policy_pid" 2>/dev/null
policy_pid=

# ---- a policy of trusted registries without digests: local images must not borrow their names ----
printf 'trusted-registries: [127.0.0.1:9]\n' >"$T/names.yml"
chmod 600 "$T/names.yml"
echo "unix://$T/authz-names.sock" >/etc/docker/plugins/hardock-names.spec
"$HARDOCK" authz serve --socket "$T/authz-names.sock" --policy "$T/names.yml" \
	--log "$T/decisions-names.log" >"$T/plugin-names.log" 2>&1 &
policy_pid=$!
i=0
until grep -q listening "$T/plugin-names.log" 2>/dev/null; do
	i=$((i + 1))
	if [ $i -gt 200 ] || ! kill -0 "$policy_pid" 2>/dev/null; then
		nok "authz serve --policy names.yml did not start" "$T/plugin-names.log"
		finish
	fi
	sleep 0.05
done
if start_dockerd --authorization-plugin=hardock-names; then
	ok "dockerd restarted with --authorization-plugin=hardock-names"
else
	nok "dockerd did not restart with the names plugin" "$T/dockerd.log"
	finish
fi
named_refused() { # TEXT: the last command's output in $T/resp
	grep -q 'authorization denied by plugin hardock-names' "$T/resp" && grep -q 'would name a local image' "$T/resp" &&
		ok "$1 refused" || nok "$1: unexpected error" "$T/resp"
}
D tag hdauthz:1 127.0.0.1:9/app:1 >"$T/resp" 2>&1 && nok "docker tag into the trusted registry allowed" || named_refused "docker tag into the trusted registry"
D tag hdauthz:1 local/app:1 >"$T/resp" 2>&1 && ok "docker tag under another name allowed" || nok "docker tag local/app:1" "$T/resp"
D commit victim 127.0.0.1:9/app:2 >"$T/resp" 2>&1 && nok "docker commit into the trusted registry allowed" || named_refused "docker commit into the trusted registry"
D import "$T/rootfs.tar" 127.0.0.1:9/app:3 >"$T/resp" 2>&1 && nok "docker import into the trusted registry allowed" || named_refused "docker import into the trusted registry"
DOCKER_BUILDKIT=0 D build -q -t local/b:1 -t 127.0.0.1:9/app:4 "$okbuild" >"$T/resp" 2>&1 && nok "docker build -t into the trusted registry allowed" ||
	named_refused "docker build with a second -t into the trusted registry"
D save -o "$T/saved.tar" hdauthz:1 >"$T/out" 2>&1 || nok "docker save" "$T/out"
D load -i "$T/saved.tar" >"$T/resp" 2>&1 && nok "docker load allowed under an image-restricting policy" ||
	{ grep -q 'names inside a loaded archive' "$T/resp" && ok "docker load refused (its names are not forwarded)" || nok "docker load: unexpected error" "$T/resp"; }
made=
for n in 127.0.0.1:9/app:1 127.0.0.1:9/app:2 127.0.0.1:9/app:3 127.0.0.1:9/app:4; do
	D image inspect "$n" >/dev/null 2>&1 && made="$made $n"
done
[ -z "$made" ] && ok "no local image got a trusted name" || nok "images named:$made"
stop_dockerd keep
kill "$policy_pid" 2>/dev/null
wait "$policy_pid" 2>/dev/null
policy_pid=

# ---- control: without the plugin, each class does what it says -----------------------------
if start_dockerd; then
	ok "dockerd restarted without the plugin"
else
	nok "dockerd did not restart" "$T/dockerd.log"
	finish
fi
hc() { D inspect -f "$2" "$1" 2>/dev/null; }
code=$(api POST /v1.41/containers/create?name=clc "$lc")
[ "$code" = 201 ] && [ "$(hc clc '{{.HostConfig.Binds}} {{.HostConfig.CapAdd}} {{.HostConfig.PidMode}}')" = "[/:/host] [SYS_ADMIN] host" ] &&
	ok "control: lowercase keys are obeyed by dockerd" || nok "control lowercase: $code $(hc clc '{{.HostConfig.Binds}}')" "$T/resp"
code=$(api POST /v1.41/containers/create?name=ckel "$kel")
[ "$code" = 201 ] && [ "$(hc ckel '{{.HostConfig.Privileged}}')" = true ] &&
	ok "control: the last duplicate key is obeyed" || nok "control duplicate: $code" "$T/resp"
code=$(api POST /v1.24/containers/create?name=ctop "$top")
[ "$code" = 201 ] && [ "$(hc ctop '{{.HostConfig.Privileged}} {{.HostConfig.Binds}}')" = "true [/:/host]" ] &&
	ok "control: top-level host settings are obeyed" || nok "control top-level: $code" "$T/resp"
code=$(api POST /v1.41/containers/create?name=ccapl "$capl")
[ "$code" = 201 ] && hc ccapl '{{.HostConfig.CapAdd}}' | grep -qi 'sys_admin' &&
	ok "control: CapAdd cap_sys_admin is obeyed ($(hc ccapl '{{.HostConfig.CapAdd}}'))" || nok "control cap_sys_admin: $code" "$T/resp"
code=$(api POST /v1.41/containers/create?name=ccapm "$capm")
[ "$code" = 201 ] && hc ccapm '{{.HostConfig.CapAdd}}' | grep -qi 'sys_admin' &&
	ok "control: CapAdd Sys_Admin is obeyed ($(hc ccapm '{{.HostConfig.CapAdd}}'))" || nok "control Sys_Admin: $code" "$T/resp"
code=$(api POST /v1.41/containers/victim/update "$pids0")
[ "$code" = 200 ] && [ "$(hc victim '{{.HostConfig.PidsLimit}}')" = 0 ] &&
	ok "control: update {\"PidsLimit\":0} removes the limit of 50" || nok "control update pids: $code $(hc victim '{{.HostConfig.PidsLimit}}')" "$T/resp"
D tag hdauthz:1 127.0.0.1:9/app:1 >"$T/resp" 2>&1 && D create --name ctrusted 127.0.0.1:9/app:1 sleep 60 >>"$T/resp" 2>&1 &&
	ok "control: a local image tagged into the trusted registry's name runs under it" || nok "control tag" "$T/resp"
code=$(api POST '/v1.41/containers/%63reate?name=cpe1' "$priv")
[ "$code" = 201 ] && [ "$(hc cpe1 '{{.HostConfig.Privileged}}')" = true ] &&
	ok "control: a percent-encoded path creates" || nok "control percent: $code" "$T/resp"
code=$(api POST '/v1.41/containers%2Fcreate?name=cpe2' "$priv")
[ "$code" = 201 ] && ok "control: an encoded slash creates" || nok "control %2F: $code" "$T/resp"
code=$(api POST /v1.23/containers/victim/stop?t=1)
code=$(api POST /v1.23/containers/victim/start "$oldstart")
[ "$code" = 204 ] && [ "$(hc victim '{{.HostConfig.PidMode}} {{.HostConfig.CapAdd}}')" = "host [SYS_ADMIN]" ] &&
	ok "control: the old-API start body is applied" || nok "control old start: $code $(hc victim '{{.HostConfig.PidMode}}')" "$T/resp"
code=$(api POST /v1.41/containers/victim/exec "$lcexec")
id=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1])).get("Id",""))' "$T/resp" 2>/dev/null)
[ "$code" = 201 ] && [ "$(D container inspect -f '{{len .ExecIDs}}' victim)" -ge 1 ] && api GET "/v1.41/exec/$id/json" >/dev/null &&
	grep -q '"privileged":true' "$T/resp" && ok "control: a lowercase privileged exec is privileged" || nok "control exec: $code" "$T/resp"
code=$(api POST /v1.41/containers/victim/exec "$T/bigexec.json")
id=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1])).get("Id",""))' "$T/resp" 2>/dev/null)
[ "$code" = 201 ] && api GET "/v1.41/exec/$id/json" >/dev/null && grep -q '"privileged":true' "$T/resp" &&
	ok "control: a privileged exec with a 1.1 MiB body is created" || nok "control big exec: $code" "$T/resp"
D create --name csysp --security-opt systempaths=unconfined hdauthz:1 sleep 60 >/dev/null 2>&1
[ "$(hc csysp '{{len .HostConfig.MaskedPaths}} {{len .HostConfig.ReadonlyPaths}}')" = "0 0" ] &&
	ok "control: systempaths=unconfined leaves nothing masked" || nok "control systempaths: $(hc csysp '{{.HostConfig.MaskedPaths}}')"
code=$(api POST /v1.41/containers/create?name=cvm "$volmount")
[ "$code" = 201 ] && [ "$(D volume inspect -f '{{.Options.device}} {{.Options.o}}' rootvol 2>/dev/null)" = "/ bind" ] &&
	ok "control: the DriverConfig volume binds /" || nok "control volume mount: $code" "$T/resp"
code=$(api POST /v1.41/volumes/create "$volcreate")
[ "$code" = 201 ] && [ "$(D volume inspect -f '{{.Options.device}}' rootvol2 2>/dev/null)" = / ] &&
	ok "control: POST /volumes/create binds /" || nok "control volume create: $code" "$T/resp"

finish
