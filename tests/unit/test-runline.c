/*
 * Unit tests for parse/runline.c: command recognition (wrappers, global
 * options, verbs) and every flag form of `docker run` that changes the
 * container_spec: long and short forms, bundles, attached values, booleans
 * with =false, repeats, --mount CSV, -p and -v forms, security options,
 * units, placeholders and unknown flags with their positions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "model/shell.h"
#include "parse/runline.h"

/*
 * A small word splitter for the tests: blanks separate words, '...' and
 * "..." quote, a '$' outside single quotes marks an expansion.  Columns are
 * 1-based byte offsets on line 1.
 */
struct words {
	struct hd_run_word w[128];
	char buf[128][256];
	size_t n;
};

static void split(struct words *ws, const char *s)
{
	const char *p = s;

	ws->n = 0;
	while (*p) {
		size_t k = 0;
		unsigned flags = 0;
		char q = 0;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		ws->w[ws->n].col = (uint32_t)(p - s) + 1;
		ws->w[ws->n].line = 1;
		while (*p && (q || *p != ' ')) {
			if (!q && (*p == '\'' || *p == '"')) {
				q = *p++;
				flags |= HD_WORD_QUOTED;
				continue;
			}
			if (q && *p == q) {
				q = 0;
				p++;
				continue;
			}
			if (*p == '$' && q != '\'')
				flags |= HD_WORD_EXPANSION;
			assert_true(k + 1 < sizeof(ws->buf[0]));
			ws->buf[ws->n][k++] = *p++;
		}
		ws->buf[ws->n][k] = '\0';
		ws->w[ws->n].text = ws->buf[ws->n];
		ws->w[ws->n].flags = flags;
		ws->n++;
	}
}

static struct words ws;

/* Parses a whole command line; fails the test when it is not a match. */
static struct hd_container_spec *parse(const char *line)
{
	struct hd_container_spec *c;
	struct hd_run_match m;

	split(&ws, line);
	assert_true(hd_runline_match(ws.w, ws.n, &m));
	c = hd_container_spec_new(HD_SRC_RUN, "t", "deploy.sh");
	assert_non_null(c);
	assert_int_equal(hd_runline_parse(ws.w, ws.n, &m, c), 0);
	return c;
}

static bool matches(const char *line, struct hd_run_match *m)
{
	split(&ws, line);
	return hd_runline_match(ws.w, ws.n, m);
}

static void test_match(void **state)
{
	struct hd_run_match m;

	(void)state;
	assert_true(matches("docker run nginx", &m));
	assert_int_equal(m.verb, HD_RUN_VERB_RUN);
	assert_int_equal(m.args_at, 2);
	assert_true(matches("docker create nginx", &m));
	assert_int_equal(m.verb, HD_RUN_VERB_CREATE);
	assert_true(matches("docker container run nginx", &m));
	assert_int_equal(m.args_at, 3);
	assert_true(matches("docker container create nginx", &m));
	assert_int_equal(m.verb, HD_RUN_VERB_CREATE);
	assert_true(matches("docker service create nginx", &m));
	assert_int_equal(m.verb, HD_RUN_VERB_SERVICE_CREATE);
	assert_true(matches("podman run nginx", &m));
	assert_int_equal(m.tool, HD_RUN_TOOL_PODMAN);
	assert_true(matches("podman container create nginx", &m));
	assert_true(matches("/usr/bin/docker run nginx", &m));
	assert_true(matches("sudo docker run nginx", &m));
	assert_int_equal(m.tool_at, 1);
	assert_true(matches("sudo -u deploy -E docker run nginx", &m));
	assert_int_equal(m.tool_at, 4);
	assert_true(matches("sudo --user=deploy docker run nginx", &m));
	assert_true(matches("env DOCKER_HOST=tcp://x:2376 docker run nginx", &m));
	assert_true(matches("env -i A=1 B=2 command docker run nginx", &m));
	assert_true(matches("command docker run nginx", &m));
	assert_true(matches("exec docker run nginx", &m));
	assert_true(matches("nohup nice -n 10 docker run nginx", &m));
	assert_true(matches("timeout -s KILL 60 docker run nginx", &m));
	assert_int_equal(m.tool_at, 4);
	assert_true(matches("docker -H tcp://h:2376 --tlsverify run nginx", &m));
	assert_int_equal(m.verb_at, 4);
	assert_true(matches("docker --context=prod run nginx", &m));
	assert_true(matches("docker -c prod --log-level debug run nginx", &m));
	assert_true(matches("podman --remote --url ssh://x run nginx", &m));
	assert_true(matches("$DOCKER run nginx", &m));
	assert_true(matches("${DOCKER_BIN:-docker} run nginx", &m));
	assert_true(matches("$PODMAN create nginx", &m));
	assert_false(matches("docker ps", &m));
	assert_false(matches("docker build .", &m));
	assert_false(matches("docker compose run web", &m));
	assert_false(matches("docker service ls", &m));
	assert_false(matches("echo docker run nginx", &m));
	assert_false(matches("docker", &m));
	assert_false(matches("sudo", &m));
	assert_false(matches("docker container", &m));
	assert_false(matches("$IMAGE run", &m));
	assert_true(matches("$PODMAN create nginx", &m));
	assert_string_equal(hd_run_verb_name(&m), "podman create");
	assert_true(matches("docker service create nginx", &m));
	assert_string_equal(hd_run_verb_name(&m), "docker service create");
}

static void test_image_and_command(void **state)
{
	struct hd_container_spec *c;

	(void)state;
	c = parse("docker run -it --rm ubuntu:22.04 bash -c 'echo hi'");
	assert_string_equal(c->image.value, "ubuntu:22.04");
	assert_int_equal(c->image.at.col, 21);
	assert_string_equal(c->image_ref.tag, "22.04");
	assert_int_equal(c->command.n, 3);
	assert_string_equal(c->command.v[0].value, "bash");
	assert_string_equal(c->command.v[2].value, "echo hi");
	assert_int_equal(c->at.line, 1);
	assert_int_equal(c->at.col, 1);
	hd_container_spec_free(c);

	/* Flags after the image belong to the command. */
	c = parse("docker run alpine --privileged");
	assert_false(c->privileged.set);
	assert_string_equal(c->command.v[0].value, "--privileged");
	hd_container_spec_free(c);

	/* `--` ends the options. */
	c = parse("docker run -d -- -weird-image");
	assert_string_equal(c->image.value, "-weird-image");
	hd_container_spec_free(c);

	c = parse("docker run --entrypoint /usr/sbin/sshd img -D");
	assert_int_equal(c->command.n, 2);
	assert_string_equal(c->command.v[0].value, "/usr/sbin/sshd");
	assert_string_equal(c->command.v[1].value, "-D");
	hd_container_spec_free(c);

	c = parse("docker run -d $IMAGE");
	assert_true(c->image.unknown);
	assert_true(c->image_ref.has_unresolved_var);
	hd_container_spec_free(c);

	c = parse("docker run --name web -d nginx");
	assert_string_equal(c->container_name.value, "web");
	hd_container_spec_free(c);
}

static void test_flag_forms(void **state)
{
	struct hd_container_spec *c;

	(void)state;
	/* --flag=value, --flag value, -m128m, -uroot, bundles. */
	c = parse("docker run --memory=128m -uroot -itd --cpus 1.5 nginx");
	assert_int_equal(c->memory.value, 134217728);
	assert_string_equal(c->user.value, "root");
	assert_int_equal(c->user.at.col, 26);
	assert_string_equal(c->user.at.field, "--user");
	assert_int_equal(c->nano_cpus.value, 1500000000);
	assert_string_equal(c->image.value, "nginx");
	hd_container_spec_free(c);

	c = parse("docker run -m128m -dp 80:80 nginx");
	assert_int_equal(c->memory.value, 134217728);
	assert_int_equal(c->n_ports, 1);
	assert_int_equal(c->ports[0].host_port_lo, 80);
	assert_int_equal(c->ports[0].ctr_port_lo, 80);
	assert_int_equal(c->ports[0].at.col, 21); /* the 'p' in -dp */
	hd_container_spec_free(c);

	c = parse("docker run -p=8080:80 -m=1g nginx");
	assert_int_equal(c->ports[0].host_port_lo, 8080);
	assert_int_equal(c->memory.value, 1073741824);
	hd_container_spec_free(c);

	/* Booleans: =false, =true, repeated (last wins), -t=false in a bundle. */
	c = parse("docker run --privileged=false --read-only --read-only=false -it=false nginx");
	assert_true(c->privileged.set);
	assert_false(c->privileged.value);
	assert_true(c->read_only.set);
	assert_false(c->read_only.value);
	assert_string_equal(c->image.value, "nginx");
	hd_container_spec_free(c);

	c = parse("docker run --privileged=true --privileged=1 nginx");
	assert_true(c->privileged.value);
	hd_container_spec_free(c);

	/* A boolean never takes the next word: "false" is the image. */
	c = parse("docker run --privileged false");
	assert_true(c->privileged.value);
	assert_string_equal(c->image.value, "false");
	hd_container_spec_free(c);

	c = parse("docker run --privileged=maybe nginx");
	assert_false(c->privileged.set);
	assert_int_equal(c->invalid_options.n, 1);
	hd_container_spec_free(c);

	/* -h is --hostname (takes a value), --help is boolean. */
	c = parse("docker run -h box --help nginx");
	assert_string_equal(c->image.value, "nginx");
	hd_container_spec_free(c);

	/* A value flag at the end. */
	c = parse("docker run --memory");
	assert_int_equal(c->invalid_options.n, 1);
	assert_null(c->image.value);
	hd_container_spec_free(c);

	c = parse("docker run --memory 0.1G --memory-reservation 64m --memory-swap -1 --cpu-shares 512 "
		  "--cpu-quota 50000 --cpu-period 100000 --cpuset-cpus 0-1 --pids-limit 100 "
		  "--oom-kill-disable --oom-score-adj 500 nginx");
	assert_int_equal(c->memory.value, 107374182);
	assert_int_equal(c->memory_reservation.value, 67108864);
	assert_int_equal(c->memory_swap.value, -1);
	assert_int_equal(c->cpu_shares.value, 512);
	assert_int_equal(c->cpu_quota.value, 50000);
	assert_int_equal(c->cpu_period.value, 100000);
	assert_string_equal(c->cpuset_cpus.value, "0-1");
	assert_int_equal(c->pids_limit.value, 100);
	assert_true(c->oom_kill_disable.value);
	assert_int_equal(c->oom_score_adj.value, 500);
	assert_int_equal(c->invalid_options.n, 0);
	hd_container_spec_free(c);

	c = parse("docker run --pids-limit -1 -c 2 nginx");
	assert_int_equal(c->pids_limit.value, -1);
	assert_int_equal(c->cpu_shares.value, 2);
	hd_container_spec_free(c);

	c = parse("docker run --memory abc --cpus 0.0000000001 --pids-limit x nginx");
	assert_false(c->memory.set);
	assert_false(c->nano_cpus.set);
	assert_int_equal(c->invalid_options.n, 3);
	assert_string_equal(c->invalid_options.v[0].value, "--memory=abc (expected a size such as 512m)");
	assert_int_equal(c->invalid_options.v[0].at.col, 12);
	hd_container_spec_free(c);
}

static void test_placeholders(void **state)
{
	struct hd_container_spec *c;

	(void)state;
	c = parse("docker run --memory $MEM --cpus \"${CPUS}\" -u \"$(id -u):$(id -g)\" -p $PORT:80 "
		  "--privileged=$PRIV --network $NET nginx");
	assert_true(c->memory.set);
	assert_true(c->memory.unknown);
	assert_true(c->nano_cpus.unknown);
	assert_true(c->user.unknown);
	assert_true(c->ports[0].unknown);
	assert_true(c->privileged.unknown);
	assert_true(c->network.unknown);
	assert_int_equal(c->network.mode, HD_NS_DEFAULT);
	assert_int_equal(c->invalid_options.n, 0);
	hd_container_spec_free(c);

	c = parse("docker run $DOCKER_OPTS \"$@\" --rm nginx");
	assert_int_equal(c->opaque_args.n, 2);
	assert_string_equal(c->image.value, "nginx");
	hd_container_spec_free(c);
}

static void test_unknown(void **state)
{
	struct hd_container_spec *c;

	(void)state;
	c = parse("docker run --frobnicate -Z --bogus=1 nginx");
	assert_int_equal(c->unknown_options.n, 3);
	assert_string_equal(c->unknown_options.v[0].value, "--frobnicate");
	assert_int_equal(c->unknown_options.v[0].at.col, 12);
	assert_string_equal(c->unknown_options.v[1].value, "-Z");
	assert_int_equal(c->unknown_options.v[1].at.col, 25);
	assert_string_equal(c->unknown_options.v[2].value, "--bogus");
	assert_string_equal(c->image.value, "nginx");
	hd_container_spec_free(c);

	/* A flag of another command is unknown here. */
	c = parse("docker create -d --privileged nginx");
	assert_int_equal(c->unknown_options.n, 1);
	assert_true(c->privileged.value);
	hd_container_spec_free(c);

	c = parse("docker service create --privileged nginx");
	assert_int_equal(c->unknown_options.n, 1);
	hd_container_spec_free(c);

	c = parse("podman run --userns=keep-id --pod mypod --rootfs nginx");
	assert_int_equal(c->unknown_options.n, 0);
	assert_int_equal(c->userns.mode, HD_NS_NAMED);
	hd_container_spec_free(c);
}

static void test_security(void **state)
{
	struct hd_container_spec *c;

	(void)state;
	c = parse("docker run --security-opt no-new-privileges --security-opt no-new-privileges:true "
		  "--security-opt=no-new-privileges=true --security-opt seccomp=unconfined "
		  "--security-opt apparmor=unconfined --security-opt label=disable "
		  "--security-opt label:disable --security-opt seccomp:/x.json nginx");
	assert_int_equal(c->security_opt.n, 8);
	assert_string_equal(c->security_opt.v[0].value, "no-new-privileges=true");
	assert_string_equal(c->security_opt.v[1].value, "no-new-privileges=true");
	assert_string_equal(c->security_opt.v[2].value, "no-new-privileges=true");
	assert_string_equal(c->security_opt.v[3].value, "seccomp=unconfined");
	assert_string_equal(c->security_opt.v[4].value, "apparmor=unconfined");
	assert_string_equal(c->security_opt.v[5].value, "label=disable");
	assert_string_equal(c->security_opt.v[6].value, "label=disable");
	assert_string_equal(c->security_opt.v[7].value, "seccomp=/x.json");
	hd_container_spec_free(c);

	c = parse("docker run --security-opt bogus nginx");
	assert_int_equal(c->invalid_options.n, 1);
	hd_container_spec_free(c);

	c = parse("docker run --cap-add=cap_sys_admin --cap-add NET_ADMIN,sys_ptrace --cap-drop all "
		  "--privileged nginx");
	assert_int_equal(c->cap_add.n, 3);
	assert_string_equal(c->cap_add.v[0].value, "SYS_ADMIN");
	assert_string_equal(c->cap_add.v[2].value, "SYS_PTRACE");
	assert_true(hd_items_has(&c->cap_drop, "ALL"));
	assert_true(c->privileged.value);
	assert_int_equal(c->privileged.at.col, 82);
	hd_container_spec_free(c);

	c = parse("docker run --user 1000:1000 --group-add docker --read-only --tmpfs /run:rw,size=64m "
		  "--init --runtime runsc nginx");
	assert_string_equal(c->user.value, "1000:1000");
	assert_string_equal(c->group_add.v[0].value, "docker");
	assert_true(c->read_only.value);
	assert_string_equal(c->tmpfs.v[0].value, "/run:rw,size=64m");
	assert_true(c->init.value);
	assert_string_equal(c->runtime.value, "runsc");
	hd_container_spec_free(c);
}

static void test_namespaces(void **state)
{
	struct hd_container_spec *c;

	(void)state;
	c = parse("docker run --network host --pid=host --ipc host --uts host --userns host "
		  "--cgroupns host nginx");
	assert_int_equal(c->network.mode, HD_NS_HOST);
	assert_int_equal(c->pid.mode, HD_NS_HOST);
	assert_int_equal(c->ipc.mode, HD_NS_HOST);
	assert_int_equal(c->uts.mode, HD_NS_HOST);
	assert_int_equal(c->userns.mode, HD_NS_HOST);
	assert_int_equal(c->cgroupns.mode, HD_NS_HOST);
	assert_int_equal(c->pid.at.col, 27);
	hd_container_spec_free(c);

	c = parse("docker run --net container:db --pid container:db --ipc shareable nginx");
	assert_int_equal(c->network.mode, HD_NS_CONTAINER);
	assert_int_equal(c->pid.mode, HD_NS_CONTAINER);
	assert_int_equal(c->ipc.mode, HD_NS_NAMED);
	hd_container_spec_free(c);

	c = parse("docker run --network none nginx");
	assert_int_equal(c->network.mode, HD_NS_NONE);
	hd_container_spec_free(c);

	c = parse("docker run --network backend --network frontend --network name=admin,alias=a nginx");
	assert_int_equal(c->network.mode, HD_NS_NAMED);
	assert_string_equal(c->network.value, "backend");
	assert_int_equal(c->networks.n, 3);
	assert_string_equal(c->networks.v[2].value, "admin");
	hd_container_spec_free(c);

	c = parse("docker run --network backend --network host nginx");
	assert_int_equal(c->network.mode, HD_NS_HOST);
	hd_container_spec_free(c);
}

static void test_ports(void **state)
{
	struct hd_container_spec *c;

	(void)state;
	c = parse("docker run -p 80 -p 8080:80 -p 127.0.0.1:8443:443 -p [::1]:9000:9000 "
		  "-p 8000-8010:8000-8010 -p 53:53/udp -p 127.0.0.1::5432 -p 0.0.0.0:22:22/tcp "
		  "--expose 9090 --expose 7000-7001/udp -P nginx");
	assert_int_equal(c->n_ports, 10);
	assert_null(c->ports[0].host_ip);
	assert_int_equal(c->ports[0].host_port_lo, 0);
	assert_int_equal(c->ports[0].ctr_port_lo, 80);
	assert_true(c->ports[0].published);
	assert_int_equal(c->ports[1].host_port_lo, 8080);
	assert_int_equal(c->ports[1].ctr_port_lo, 80);
	assert_string_equal(c->ports[2].host_ip, "127.0.0.1");
	assert_int_equal(c->ports[2].host_port_lo, 8443);
	assert_string_equal(c->ports[3].host_ip, "::1");
	assert_int_equal(c->ports[3].host_port_lo, 9000);
	assert_int_equal(c->ports[4].host_port_lo, 8000);
	assert_int_equal(c->ports[4].host_port_hi, 8010);
	assert_int_equal(c->ports[4].ctr_port_hi, 8010);
	assert_int_equal(c->ports[5].proto, HD_PROTO_UDP);
	assert_string_equal(c->ports[6].host_ip, "127.0.0.1");
	assert_int_equal(c->ports[6].host_port_lo, 0);
	assert_int_equal(c->ports[6].ctr_port_lo, 5432);
	assert_string_equal(c->ports[7].host_ip, "0.0.0.0");
	assert_false(c->ports[8].published);
	assert_int_equal(c->ports[8].ctr_port_lo, 9090);
	assert_int_equal(c->ports[9].ctr_port_hi, 7001);
	assert_int_equal(c->ports[9].proto, HD_PROTO_UDP);
	assert_true(c->publish_all.value);
	assert_int_equal(c->invalid_options.n, 0);
	hd_container_spec_free(c);

	c = parse("docker run -p 99999:80 -p abc -p 80:80/icmp --expose 80:80 nginx");
	assert_int_equal(c->n_ports, 0);
	assert_int_equal(c->invalid_options.n, 4);
	hd_container_spec_free(c);

	c = parse("docker service create -p published=8080,target=80 -p 53:53/udp "
		  "--publish published=9000,target=9000,protocol=udp,mode=host nginx");
	assert_int_equal(c->n_ports, 3);
	assert_int_equal(c->ports[0].host_port_lo, 8080);
	assert_int_equal(c->ports[0].ctr_port_lo, 80);
	assert_int_equal(c->ports[2].proto, HD_PROTO_UDP);
	hd_container_spec_free(c);
}

static void test_volumes(void **state)
{
	struct hd_container_spec *c;
	const struct hd_mount *m;

	(void)state;
	c = parse("docker run -v data:/data -v /etc:/host/etc:ro -v /srv:/srv:z -v /mnt:/mnt:rshared,ro "
		  "-v /anon -v /cache:ro -v ./app:/app -v ~/.ssh:/root/.ssh -v $(pwd):/src "
		  "-v /var/run/docker.sock:/var/run/docker.sock:shared,Z nginx");
	assert_int_equal(c->n_mounts, 10);
	m = &c->mounts[0];
	assert_int_equal(m->type, HD_MOUNT_VOLUME);
	assert_string_equal(m->source, "data");
	assert_string_equal(m->target, "/data");
	assert_false(m->read_only);
	m = &c->mounts[1];
	assert_int_equal(m->type, HD_MOUNT_BIND);
	assert_string_equal(m->source, "/etc");
	assert_true(m->read_only);
	assert_string_equal(c->mounts[2].selinux, "z");
	assert_string_equal(c->mounts[3].propagation, "rshared");
	assert_true(c->mounts[3].read_only);
	assert_null(c->mounts[4].source);
	assert_string_equal(c->mounts[4].target, "/anon");
	assert_null(c->mounts[5].source); /* "/cache:ro": anonymous, read-only */
	assert_string_equal(c->mounts[5].target, "/cache");
	assert_true(c->mounts[5].read_only);
	assert_int_equal(c->mounts[6].type, HD_MOUNT_BIND);
	assert_int_equal(c->mounts[7].type, HD_MOUNT_BIND);
	assert_string_equal(c->mounts[7].source, "~/.ssh");
	assert_int_equal(c->mounts[8].type, HD_MOUNT_BIND);
	assert_string_equal(c->mounts[9].propagation, "shared");
	assert_string_equal(c->mounts[9].selinux, "Z");
	assert_int_equal(c->invalid_options.n, 0);
	hd_container_spec_free(c);

	c = parse("docker run -v /a:/b:bogus -v a:b:c:d nginx");
	assert_int_equal(c->invalid_options.n, 2);
	hd_container_spec_free(c);

	c = parse("docker run --mount type=bind,source=/,target=/host,readonly "
		  "--mount type=bind,src=/var/run,dst=/var/run,bind-propagation=rshared "
		  "--mount source=vol,target=/v --mount type=tmpfs,destination=/tmp,tmpfs-size=64m "
		  "--mount 'type=bind,\"source=/a,b\",target=/c' --mount type=bind,source=/x,target=/y,readonly=false "
		  "--mount type=volume,src=v2,dst=/w,volume-nocopy,ro=true nginx");
	assert_int_equal(c->n_mounts, 7);
	assert_int_equal(c->mounts[0].type, HD_MOUNT_BIND);
	assert_string_equal(c->mounts[0].source, "/");
	assert_true(c->mounts[0].read_only);
	assert_string_equal(c->mounts[1].propagation, "rshared");
	assert_string_equal(c->mounts[1].target, "/var/run");
	assert_int_equal(c->mounts[2].type, HD_MOUNT_VOLUME);
	assert_int_equal(c->mounts[3].type, HD_MOUNT_TMPFS);
	assert_string_equal(c->mounts[4].source, "/a,b");
	assert_false(c->mounts[5].read_only);
	assert_true(c->mounts[6].read_only);
	assert_int_equal(c->invalid_options.n, 0);
	hd_container_spec_free(c);

	c = parse("docker run --mount type=bind,source=/a --mount type=weird,target=/x "
		  "--mount 'type=bind,source=\"/a,target=/b' --mount type=bind,frob=1,target=/z nginx");
	assert_int_equal(c->invalid_options.n, 4);
	hd_container_spec_free(c);

	c = parse("docker run --use-api-socket nginx");
	assert_int_equal(c->n_mounts, 1);
	assert_string_equal(c->mounts[0].source, "/var/run/docker.sock");
	hd_container_spec_free(c);
}

static void test_devices_env_misc(void **state)
{
	struct hd_container_spec *c;

	(void)state;
	c = parse("docker run --device /dev/sda --device /dev/kmsg:/dev/kmsg:rw --device /dev/mem:r "
		  "--device-cgroup-rule 'c 1:3 mr' --ulimit nofile=1024:2048 --ulimit nproc=512 "
		  "--ulimit core=unlimited nginx");
	assert_int_equal(c->n_devices, 3);
	assert_string_equal(c->devices[0].host_path, "/dev/sda");
	assert_null(c->devices[0].container_path);
	assert_string_equal(c->devices[1].container_path, "/dev/kmsg");
	assert_string_equal(c->devices[1].perms, "rw");
	assert_string_equal(c->devices[2].perms, "r");
	assert_string_equal(c->device_cgroup_rules.v[0].value, "c 1:3 mr");
	assert_int_equal(c->n_ulimits, 3);
	assert_string_equal(c->ulimits[0].name, "nofile");
	assert_int_equal(c->ulimits[0].soft, 1024);
	assert_int_equal(c->ulimits[0].hard, 2048);
	assert_int_equal(c->ulimits[1].hard, 512);
	assert_int_equal(c->ulimits[2].soft, -1);
	hd_container_spec_free(c);

	c = parse("docker run -e A=1 -e DB_PASSWORD=s3cret --env TOKEN -e=X=2 --env-file .env "
		  "--env-file prod.env nginx");
	assert_int_equal(c->n_env, 4);
	assert_string_equal(c->env[0].name, "A");
	assert_string_equal(c->env[0].value, "1");
	assert_string_equal(c->env[1].value, "s3cret");
	assert_string_equal(c->env[2].name, "TOKEN");
	assert_null(c->env[2].value);
	assert_string_equal(c->env[3].name, "X");
	assert_int_equal(c->env_files.n, 2);
	hd_container_spec_free(c);

	c = parse("docker run --restart on-failure:5 --restart=always nginx");
	assert_string_equal(c->restart.value, "always");
	assert_int_equal(c->restart_max_retries.value, 5);
	hd_container_spec_free(c);

	c = parse("docker run --restart on-failure:5 nginx");
	assert_string_equal(c->restart.value, "on-failure");
	assert_int_equal(c->restart_max_retries.value, 5);
	hd_container_spec_free(c);

	c = parse("docker run --restart sometimes --restart always:3 --restart on-failure:x nginx");
	assert_int_equal(c->invalid_options.n, 3);
	hd_container_spec_free(c);

	c = parse("docker run --health-cmd 'curl -f http://localhost/' --health-interval 30s "
		  "--health-timeout=5s --health-retries 3 --health-start-period 1m nginx");
	assert_true(c->healthcheck.set);
	assert_false(c->healthcheck.disabled);
	assert_int_equal(c->healthcheck.interval_ns, 30000000000LL);
	assert_int_equal(c->healthcheck.timeout_ns, 5000000000LL);
	assert_int_equal(c->healthcheck.retries, 3);
	assert_int_equal(c->healthcheck.start_period_ns, 60000000000LL);
	assert_int_equal(c->healthcheck.at.col, 12);
	hd_container_spec_free(c);

	c = parse("docker run --no-healthcheck nginx");
	assert_true(c->healthcheck.disabled);
	hd_container_spec_free(c);

	c = parse("docker run --log-driver none --log-opt max-size=10m --sysctl net.ipv4.ip_forward=1 "
		  "--sysctl kernel.shm_rmid_forced=1 --cgroup-parent /custom --add-host db:10.0.0.2 "
		  "-l app=web --label tier nginx");
	assert_string_equal(c->log_driver.value, "none");
	assert_string_equal(c->log_opts.v[0].key, "max-size");
	assert_string_equal(c->log_opts.v[0].value, "10m");
	assert_int_equal(c->sysctls.n, 2);
	assert_string_equal(c->sysctls.v[1].key, "kernel.shm_rmid_forced");
	assert_string_equal(c->cgroup_parent.value, "/custom");
	assert_string_equal(c->extra_hosts.v[0].value, "db:10.0.0.2");
	assert_int_equal(c->labels.n, 2);
	assert_null(c->labels.v[1].value);
	hd_container_spec_free(c);

	c = parse("docker run --sysctl nokey --log-opt x nginx");
	assert_int_equal(c->invalid_options.n, 2);
	hd_container_spec_free(c);

	c = parse("docker service create --secret db_pw --secret source=api,target=/run/secrets/api "
		  "--config src=cfg,target=/etc/cfg --limit-memory 256m --limit-cpu 0.5 --limit-pids 50 "
		  "--restart-condition any --restart-max-attempts 3 --reserve-memory 64m nginx");
	assert_int_equal(c->n_secrets, 3);
	assert_string_equal(c->secrets[0].name, "db_pw");
	assert_string_equal(c->secrets[1].name, "api");
	assert_string_equal(c->secrets[1].target, "/run/secrets/api");
	assert_true(c->secrets[2].is_config);
	assert_int_equal(c->memory.value, 268435456);
	assert_int_equal(c->nano_cpus.value, 500000000);
	assert_int_equal(c->pids_limit.value, 50);
	assert_string_equal(c->restart.value, "always");
	assert_int_equal(c->restart_max_retries.value, 3);
	assert_int_equal(c->memory_reservation.value, 67108864);
	hd_container_spec_free(c);
}

/*
 * The flags come from the settings table (model/container_opts.def): each
 * flag names one setting, and no two flags of one command share a name or
 * a shorthand.  Values get the validation every source applies.
 */
static void test_table(void **state)
{
	const struct hd_cset_flag *f = hd_cset_flags(), *g;
	struct hd_container_spec *c;
	size_t n = 0;

	(void)state;
	for (; f->name; f++, n++) {
		assert_non_null(f->set);
		assert_true(f->cmds != 0);
		assert_true(strlen(f->name) > 1);
		for (g = f + 1; g->name; g++) {
			if (!(f->cmds & g->cmds))
				continue;
			if (!strcmp(f->name, g->name) || (f->shorthand && f->shorthand == g->shorthand))
				fail_msg("flags '%s' and '%s' clash", f->name, g->name);
		}
	}
	assert_true(n > 60);
	c = parse("docker run --oom-score-adj 2000 --security-opt bogus --sysctl net.ipv4.ip_forward "
		  "--label bare --memory-swap -1 --memory -1 --restart on-failure:-2 "
		  "--mount type=volume,src=r,dst=/h,volume-opt=type=none,volume-opt=o=bind,volume-opt=device=/ "
		  "--mount type=volume,src=v,dst=/v,volume-driver=nfs,volume-opt=o=bind,volume-opt=device=/ img");
	assert_false(c->oom_score_adj.set);
	assert_int_equal(c->invalid_options.n, 5);
	assert_string_equal(c->invalid_options.v[0].value,
			    "--oom-score-adj=2000 (expected an integer from -1000 to 1000)");
	assert_string_equal(c->invalid_options.v[1].value, "--security-opt=bogus (expected key=value)");
	assert_string_equal(c->invalid_options.v[2].value, "--sysctl=net.ipv4.ip_forward (expected key=value)");
	assert_string_equal(c->invalid_options.v[3].value, "--memory=-1 (expected a size such as 512m)");
	assert_string_equal(c->invalid_options.v[4].value,
			    "--restart=on-failure:-2 (expected a retry count that is an integer of at least 0)");
	assert_int_equal(c->labels.n, 1);
	assert_int_equal(c->memory_swap.value, -1);
	assert_int_equal(c->n_mounts, 2);
	assert_int_equal(c->mounts[0].type, HD_MOUNT_BIND);
	assert_string_equal(c->mounts[0].source, "/");
	assert_string_equal(c->mounts[0].volume, "r");
	/* Another driver's options are its own business. */
	assert_int_equal(c->mounts[1].type, HD_MOUNT_VOLUME);
	assert_string_equal(c->mounts[1].source, "v");
	hd_container_spec_free(c);
}

/* Every allocation failure gives -HD_ENOMEM or success, never a crash or leak. */
static void test_oom(void **state)
{
	unsigned long k;
	struct hd_run_match m;

	(void)state;
	split(&ws, "docker run --privileged -p 127.0.0.1:80:80 -v /a:/b:ro --mount type=bind,src=/c,dst=/d "
		   "--cap-add SYS_ADMIN --security-opt label:disable -e A=1 --ulimit nofile=1:2 "
		   "--device /dev/sda --restart on-failure:5 --log-opt a=b --frob --secret x "
		   "--mount type=volume,src=r,dst=/h,volume-opt=o=bind,volume-opt=device=/ img cmd");
	assert_true(hd_runline_match(ws.w, ws.n, &m));
	for (k = 1; k < 400; k++) {
		struct hd_container_spec *c;
		int r;

		hd_alloc_fail_at(k);
		c = hd_container_spec_new(HD_SRC_RUN, "t", "f");
		if (!c)
			continue;
		r = hd_runline_parse(ws.w, ws.n, &m, c);
		assert_true(r == 0 || r == -HD_ENOMEM);
		hd_container_spec_free(c);
	}
	hd_alloc_fail_at(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_image_and_command),
		cmocka_unit_test(test_flag_forms),
		cmocka_unit_test(test_placeholders),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_security),
		cmocka_unit_test(test_namespaces),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_volumes),
		cmocka_unit_test(test_devices_env_misc),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_oom),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
