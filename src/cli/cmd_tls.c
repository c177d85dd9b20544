/*
 * `hardock tls init`: the CA, server and client certificates that protect
 * dockerd's TCP socket (src/harden/tls.c), then the daemon.json lines and
 * the client's environment that use them.
 */
#include "core/common.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "harden/harden.h"

#include <jansson.h>

static const char usage[] =
	"usage: hardock tls init --host NAME [--ip IP]... [--dns NAME]... [--out DIR]\n"
	"                        [--days N] [--ca-days N] [--key TYPE] [--port N]\n"
	"\n"
	"Creates a CA, a server certificate for dockerd (serverAuth; subjectAltName for\n"
	"NAME, every --dns and every --ip) and a client certificate (clientAuth), with\n"
	"their keys, using OpenSSL:\n"
	"  DIR/ca/      ca.pem (0444), ca-key.pem (0400): keep the key off the daemon's host\n"
	"  DIR/server/  ca.pem, server-cert.pem (0444), server-key.pem (0400): for dockerd\n"
	"  DIR/client/  ca.pem, cert.pem (0444), key.pem (0400): DOCKER_CERT_PATH\n"
	"Then prints the daemon.json lines and the client's environment.\n"
	"\n"
	"options:\n"
	"      --host NAME   the name clients use to reach dockerd (CN and SAN)\n"
	"      --ip IP       an address clients use (repeatable)\n"
	"      --dns NAME    another name clients use (repeatable)\n"
	"      --out DIR     where to write (default ./docker-tls); files must not exist\n"
	"      --days N      validity of the server and client certificates (default 365)\n"
	"      --ca-days N   validity of the CA (default: --days)\n"
	"      --key TYPE    rsa4096 (default), rsa2048, p256, p384\n"
	"      --port N      the TCP port in the printed settings (default 2376)\n";

static int opt_value(int argc, char **argv, int *i, const char *name, const char **val)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n) != 0)
		return 0;
	if (argv[*i][n] == '=') {
		*val = argv[*i] + n + 1;
		return 1;
	}
	if (argv[*i][n])
		return 0;
	if (*i + 1 >= argc) {
		hd_cli_error("option '%s' needs a value", name);
		return -1;
	}
	*val = argv[++*i];
	return 1;
}

static void print_result(const struct hd_tls_init_opts *o, const struct hd_tls_init_result *res,
			 int64_t port)
{
	json_t *snip = json_object(), *hosts = json_array();
	char *server[3], *text, tcp[64];
	size_t i;

	printf("hardock: wrote the Docker TLS files for '%s':\n", o->host);
	for (i = 0; i < res->n_files; i++)
		printf("  %04o %-50s %s\n", res->files[i].mode, res->files[i].path, res->files[i].what);
	server[0] = hd_path_join_abs(res->server_dir, "ca.pem");
	server[1] = hd_path_join_abs(res->server_dir, "server-cert.pem");
	server[2] = hd_path_join_abs(res->server_dir, "server-key.pem");
	snprintf(tcp, sizeof(tcp), "tcp://0.0.0.0:%" PRId64, port);
	if (snip && hosts && server[0] && server[1] && server[2]) {
		json_object_set_new(snip, "tlsverify", json_true());
		json_object_set_new(snip, "tlscacert", json_string(server[0]));
		json_object_set_new(snip, "tlscert", json_string(server[1]));
		json_object_set_new(snip, "tlskey", json_string(server[2]));
		json_array_append_new(hosts, json_string("unix:///var/run/docker.sock"));
		json_array_append_new(hosts, json_string(tcp));
		json_object_set(snip, "hosts", hosts);
		text = json_dumps(snip, JSON_INDENT(2));
		if (text) {
			printf("\nDaemon: merge into /etc/docker/daemon.json (the server files must stay "
			       "root-owned):\n%s\n", text);
			free(text);
		}
	}
	printf("With \"hosts\" in daemon.json, docker.service must not pass -H: add a drop-in\n"
	       "/etc/systemd/system/docker.service.d/override.conf with\n"
	       "  [Service]\n  ExecStart=\n  ExecStart=/usr/bin/dockerd\n"
	       "then `systemctl daemon-reload && systemctl restart docker`.\n"
	       "Move %s off this host: it signs client access.\n", res->files[1].path);
	printf("\nClient:\n  export DOCKER_HOST=tcp://%s:%" PRId64 "\n  export DOCKER_TLS_VERIFY=1\n"
	       "  export DOCKER_CERT_PATH=%s\n", o->host, port, res->client_dir);
	for (i = 0; i < 3; i++)
		hd_free(server[i]);
	json_decref(hosts);
	json_decref(snip);
}

int hd_cmd_tls(int argc, char **argv)
{
	struct hd_tls_init_opts o;
	struct hd_tls_init_result res;
	struct hd_strlist ips = { 0 }, dns = { 0 };
	int64_t days = 365, ca_days = 0, port = 2376;
	char *err = NULL;
	int i, m, r, code = HD_EXIT_ERROR;

	memset(&o, 0, sizeof(o));
	o.out_dir = "docker-tls";
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? HD_EXIT_ERROR : HD_EXIT_OK;
	}
	if (strcmp(argv[1], "init") != 0) {
		hd_cli_error("unknown tls command '%s': expected 'init'", argv[1]);
		return HD_EXIT_ERROR;
	}
	for (i = 2; i < argc; i++) {
		const char *v = NULL;

		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			code = HD_EXIT_OK;
			goto out;
		}
		if ((m = opt_value(argc, argv, &i, "--host", &v)) != 0) {
			if (m < 0)
				goto out;
			o.host = v;
		} else if ((m = opt_value(argc, argv, &i, "--ip", &v)) != 0) {
			if (m < 0 || hd_strlist_add(&ips, v) < 0)
				goto out;
		} else if ((m = opt_value(argc, argv, &i, "--dns", &v)) != 0) {
			if (m < 0 || hd_strlist_add(&dns, v) < 0)
				goto out;
		} else if ((m = opt_value(argc, argv, &i, "--out", &v)) != 0) {
			if (m < 0)
				goto out;
			o.out_dir = v;
		} else if ((m = opt_value(argc, argv, &i, "--days", &v)) != 0) {
			if (m < 0 || hd_parse_i64(v, 1, 36500, &days) < 0) {
				hd_cli_error("--days expects 1 to 36500, got '%s'", v ? v : "");
				goto out;
			}
		} else if ((m = opt_value(argc, argv, &i, "--ca-days", &v)) != 0) {
			if (m < 0 || hd_parse_i64(v, 1, 36500, &ca_days) < 0) {
				hd_cli_error("--ca-days expects 1 to 36500, got '%s'", v ? v : "");
				goto out;
			}
		} else if ((m = opt_value(argc, argv, &i, "--port", &v)) != 0) {
			if (m < 0 || hd_parse_i64(v, 1, 65535, &port) < 0) {
				hd_cli_error("--port expects 1 to 65535, got '%s'", v ? v : "");
				goto out;
			}
		} else if ((m = opt_value(argc, argv, &i, "--key", &v)) != 0) {
			int k = m < 0 ? -1 : hd_tls_key_from_name(v);

			if (k < 0) {
				hd_cli_error("--key expects rsa4096, rsa2048, p256 or p384, got '%s'", v ? v : "");
				goto out;
			}
			o.key = (enum hd_tls_key)k;
		} else {
			hd_cli_error("unknown option '%s' for tls init; see 'hardock tls --help'", argv[i]);
			goto out;
		}
	}
	if (!o.host) {
		hd_cli_error("tls init needs --host NAME (the name clients connect to)");
		goto out;
	}
	o.ips = (const char *const *)ips.v;
	o.n_ips = ips.n;
	o.dns = (const char *const *)dns.v;
	o.n_dns = dns.n;
	o.days = (int)days;
	o.ca_days = (int)ca_days;
	r = hd_tls_init(&o, &res, &err);
	if (r < 0) {
		hd_cli_error("tls init failed: %s", err ? err : hd_strerror(r));
		goto out;
	}
	print_result(&o, &res, port);
	hd_tls_init_result_release(&res);
	code = HD_EXIT_OK;
out:
	hd_free(err);
	hd_strlist_release(&ips);
	hd_strlist_release(&dns);
	return code;
}
