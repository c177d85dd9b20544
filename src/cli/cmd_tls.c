/*
 * `hardock tls init`: the CA, server and client certificates that protect
 * dockerd's TCP socket (src/harden/tls.c), then the settings that use them:
 * daemon.json lines binding the addresses given (--ip, or --host when it is
 * an address), and, when docker.service passes -H to dockerd (dockerd then
 * refuses "hosts" in daemon.json), the ExecStart= that keeps every flag the
 * unit has (-H fd://, --containerd=...) and adds the TCP socket.
 */
#include "core/common.h"
#include "core/dl.h"
#include "audit/host_read.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "harden/harden.h"

#include <arpa/inet.h>
#include <jansson.h>

struct tls_args {
	struct hd_tls_init_opts o;
	struct hd_strlist ips, dns;
	long days, ca_days, port;
	const char *root;
};

static int set_key(void *args, const struct hd_option *opt, const char *v)
{
	struct tls_args *a = args;
	int k = hd_tls_key_from_name(v);

	(void)opt;
	if (k < 0) {
		hd_cli_error("--key expects rsa4096, rsa2048, p256 or p384, got '%s'", v);
		return -1;
	}
	a->o.key = (enum hd_tls_key)k;
	return 0;
}

#define T(field) HD_OFF(struct tls_args, field)
static const struct hd_option tls_options[] = {
	HD_OPT_STRING(0, "host", "NAME", T(o.host), "the name clients use to reach dockerd (CN and "
		"SAN)"),
	HD_OPT_STRLIST(0, "ip", "IP", T(ips), "an address clients use (repeatable)"),
	HD_OPT_STRLIST(0, "dns", "NAME", T(dns), "another name clients use (repeatable)"),
	HD_OPT_STRING(0, "out", "DIR", T(o.out_dir), "where to write (default ./docker-tls); files "
		"must not exist"),
	HD_OPT_LONG(0, "days", "N", T(days), 1, 36500,
		    "validity of the server and client certificates (default 365)"),
	HD_OPT_LONG(0, "ca-days", "N", T(ca_days), 1, 36500, "validity of the CA (default: --days)"),
	HD_OPT_CALLBACK(0, "key", "TYPE", set_key, "rsa4096 (default), rsa2048, p256, p384"),
	HD_OPT_LONG(0, "port", "N", T(port), 1, 65535, "the TCP port in the printed settings "
		"(default 2376)"),
	HD_OPT_STRING(0, "root", "DIR", T(root), "the host whose docker.service the printed settings "
		"fit (default: this machine)"),
	HD_OPT_END(),
};
#undef T

static const struct hd_operand tls_operands[] = {
	{ "init", "create the certificates and keys" },
	{ NULL, NULL },
};

const struct hd_cmd_doc hd_tls_doc = {
	.usage = "hardock tls init --host NAME [--ip IP]... [--dns NAME]... [options]",
	.about = "Creates a CA, a server certificate for dockerd (serverAuth; subjectAltName for\n"
		 "NAME, every --dns and every --ip) and a client certificate (clientAuth), with\n"
		 "their keys, using OpenSSL:\n"
		 "\n"
		 "  DIR/ca/      ca.pem (0444), ca-key.pem (0400): keep the key off the daemon's host\n"
		 "  DIR/server/  ca.pem, server-cert.pem (0444), server-key.pem (0400): for dockerd\n"
		 "  DIR/client/  ca.pem, cert.pem (0444), key.pem (0400): DOCKER_CERT_PATH\n"
		 "\n"
		 "Then prints the daemon.json lines and the client's environment.  dockerd\n"
		 "listens on each --ip (and on --host when it is an address); with neither, on\n"
		 "every interface.  When docker.service passes -H to dockerd, the TCP socket goes\n"
		 "on its command line, in an ExecStart= that keeps the unit's own flags\n"
		 "(-H fd://, --containerd=...).",
	.operands = tls_operands,
	.options = tls_options,
};

/* True when s is an IPv4 or IPv6 address; *v6 tells which. */
static bool is_ip(const char *s, bool *v6)
{
	unsigned char buf[16];

	*v6 = inet_pton(AF_INET6, s, buf) == 1;
	return *v6 || inet_pton(AF_INET, s, buf) == 1;
}

/* The TCP sockets to listen on: every --ip, and --host when it is an address. */
static int tcp_hosts(const struct hd_tls_init_opts *o, int64_t port, struct hd_strlist *out)
{
	size_t i;
	int r = 0;

	for (i = 0; r >= 0 && i <= o->n_ips; i++) {
		const char *a = i < o->n_ips ? o->ips[i] : o->host;
		bool v6;
		char *h;

		if (!is_ip(a, &v6))
			continue;
		h = hd_asprintf(v6 ? "tcp://[%s]:%" PRId64 : "tcp://%s:%" PRId64, a, port);
		if (!h)
			return -HD_ENOMEM;
		if (!hd_strlist_has(out, h))
			r = hd_strlist_add(out, h);
		hd_free(h);
	}
	return r;
}

/* One ExecStart= word, quoted for systemd when it needs it. */
static void put_word(FILE *fp, const char *w)
{
	const char *p;

	if (*w && !strpbrk(w, " \t\"'\\$%;")) {
		fputs(w, fp);
		return;
	}
	fputc('"', fp);
	for (p = w; *p; p++) {
		if (*p == '"' || *p == '\\')
			fputc('\\', fp);
		if (*p == '%')
			fputc('%', fp);
		if (*p == '$')
			fputc('$', fp);
		fputc(*p, fp);
	}
	fputc('"', fp);
}

static void print_result(const struct hd_tls_init_opts *o, const struct hd_tls_init_result *res,
			 int64_t port, const struct hd_daemon_spec *d, const struct hd_strlist *tcp,
			 bool every_interface)
{
	json_t *snip = json_object(), *hosts = json_array();
	const struct hd_dsetting *h = hd_daemon_opt(d, HD_DOPT_HOSTS);
	bool on_command_line = h->set && h->src == HD_DSRC_ARGS && d->argv.n;
	char *server[3], *text;
	size_t i;

	printf("hardock: wrote the Docker TLS files for '%s':\n", o->host);
	for (i = 0; i < res->n_files; i++)
		printf("  %04o %-50s %s\n", res->files[i].mode, res->files[i].path, res->files[i].what);
	server[0] = hd_path_join_abs(res->server_dir, "ca.pem");
	server[1] = hd_path_join_abs(res->server_dir, "server-cert.pem");
	server[2] = hd_path_join_abs(res->server_dir, "server-key.pem");
	if (snip && hosts && server[0] && server[1] && server[2]) {
		json_object_set_new(snip, "tlsverify", json_true());
		json_object_set_new(snip, "tlscacert", json_string(server[0]));
		json_object_set_new(snip, "tlscert", json_string(server[1]));
		json_object_set_new(snip, "tlskey", json_string(server[2]));
		if (!on_command_line) {
			/* The unix socket stays: "hosts" replaces dockerd's default. */
			for (i = 0; h->set && i < h->n_items; i++) {
				if (!hd_starts_with(h->items[i].value, "tcp://"))
					json_array_append_new(hosts, json_string(h->items[i].value));
			}
			if (!json_array_size(hosts))
				json_array_append_new(hosts, json_string("unix:///var/run/docker.sock"));
			for (i = 0; i < tcp->n; i++)
				json_array_append_new(hosts, json_string(tcp->v[i]));
			json_object_set(snip, "hosts", hosts);
		}
		text = json_dumps(snip, JSON_INDENT(2));
		if (text) {
			printf("\nDaemon: merge into /etc/docker/daemon.json (the server files must stay "
			       "root-owned):\n%s\n", text);
			free(text);
		}
	}
	if (on_command_line) {
		printf("%s passes -H to dockerd, which then refuses \"hosts\" in daemon.json: the TCP\n"
		       "socket goes on the command line, beside the unit's own flags. Add a drop-in\n"
		       "/etc/systemd/system/docker.service.d/tls.conf with\n"
		       "  [Service]\n  ExecStart=\n  ExecStart=", d->args_from ? d->args_from : "dockerd's unit");
		for (i = 0; i < d->argv.n; i++) {
			if (i)
				putchar(' ');
			put_word(stdout, d->argv.v[i]);
		}
		for (i = 0; i < tcp->n; i++)
			printf(" -H %s", tcp->v[i]);
		printf("\nthen `systemctl daemon-reload && systemctl restart docker`.\n");
	}
	if (every_interface)
		printf("No address given (--ip): dockerd listens on every interface; give --ip ADDRESS "
		       "to bind one.\n");
	printf("Move %s off this host: it signs client access.\n", res->files[1].path);
	printf("\nClient:\n  export DOCKER_HOST=tcp://%s:%" PRId64 "\n  export DOCKER_TLS_VERIFY=1\n"
	       "  export DOCKER_CERT_PATH=%s\n", o->host, port, res->client_dir);
	for (i = 0; i < 3; i++)
		hd_free(server[i]);
	json_decref(hosts);
	json_decref(snip);
}

int hd_cmd_tls(int argc, char **argv)
{
	struct tls_args a;
	struct hd_tls_init_result res;
	struct hd_strlist tcp = { 0 };
	struct hd_read_opts ro;
	struct hd_daemon_spec d;
	bool every = false;
	const char *missing = NULL;
	char *err = NULL;
	int n, r, code = HD_EXIT_ERROR;

	memset(&a, 0, sizeof(a));
	memset(&ro, 0, sizeof(ro));
	hd_daemon_spec_init(&d);
	a.o.out_dir = "docker-tls";
	a.days = 365;
	a.port = 2376;
	r = hd_parse_options("tls", &hd_tls_doc, argc, argv, &a, &n);
	if (r != 0) {
		code = r > 0 ? HD_EXIT_OK : HD_EXIT_ERROR;
		goto out;
	}
	if (n == 0 || strcmp(argv[0], "init") != 0) {
		if (n == 0)
			hd_cli_error("tls needs a command: init; see 'hardock tls --help'");
		else
			hd_cli_error("unknown tls command '%s': expected 'init'", argv[0]);
		goto out;
	}
	if (n > 1) {
		hd_cli_error("unexpected argument '%s' for tls init", argv[1]);
		goto out;
	}
	if (!a.o.host) {
		hd_cli_error("tls init needs --host NAME (the name clients connect to)");
		goto out;
	}
	a.o.ips = (const char *const *)a.ips.v;
	a.o.n_ips = a.ips.n;
	a.o.dns = (const char *const *)a.dns.v;
	a.o.n_dns = a.dns.n;
	a.o.days = (int)a.days;
	a.o.ca_days = (int)a.ca_days;
	/* The addresses to bind, and the unit whose flags the settings keep. */
	ro.root = a.root;
	ro.files_only = true;
	r = hd_daemon_read(&ro, &d);
	if (r >= 0)
		r = tcp_hosts(&a.o, a.port, &tcp);
	if (r >= 0 && !tcp.n) {
		char any[64];

		snprintf(any, sizeof(any), "tcp://0.0.0.0:%ld", a.port);
		r = hd_strlist_add(&tcp, any);
		every = true;
	}
	if (r < 0) {
		hd_cli_error("cannot read dockerd's configuration under '%s': %s", a.root ? a.root : "/",
			     hd_strerror(r));
		goto out;
	}
	/* Before the first directory is made: a missing libcrypto leaves nothing behind. */
	r = hd_dl_require(HD_DL(CRYPTO), &missing);
	if (r < 0) {
		hd_cli_error("%s", missing);
		goto out;
	}
	r = hd_tls_init(&a.o, &res, &err);
	if (r < 0) {
		hd_cli_error("tls init failed: %s", err ? err : hd_strerror(r));
		goto out;
	}
	print_result(&a.o, &res, a.port, &d, &tcp, every);
	hd_tls_init_result_release(&res);
	code = HD_EXIT_OK;
out:
	hd_free(err);
	hd_strlist_release(&tcp);
	hd_daemon_spec_release(&d);
	hd_strlist_release(&a.ips);
	hd_strlist_release(&a.dns);
	return code;
}
