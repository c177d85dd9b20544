/*
 * libFuzzer target for the systemd unit reader: the input is applied as a
 * unit file and again as a drop-in, its ExecStart= split with systemd's
 * quoting rules and an environment (also read from the input as an
 * environment file), and the words read as dockerd's command line.
 */
#include "core/common.h"
#include "model/daemon.h"
#include "parse/dockerd_args.h"
#include "parse/unit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hd_unit u;
	struct hd_uenv env = { { 0 } };
	struct hd_uwords words = { 0 }, plain = { 0 };
	struct hd_uproblems probs = { 0 };
	struct hd_daemon_spec d;
	char *cf = NULL, *text;

	hd_unit_init(&u);
	hd_daemon_spec_init(&d);
	if (hd_unit_parse(&u, "/lib/systemd/system/docker.service", (const char *)data, size) < 0)
		goto out;
	if (hd_unit_parse(&u, "/etc/systemd/system/docker.service.d/override.conf", (const char *)data,
			  size) < 0)
		goto out;
	if (hd_uenv_parse(&env, "/etc/default/docker", (const char *)data, size, &probs) < 0)
		goto out;
	if (hd_unit_split_exec(&u.exec_start, &env, "docker.service", &words, &probs) < 0)
		goto out;
	if (words.n)
		hd_dockerd_args_read(&d, &words, 1, &cf);
	text = hd_strndup((const char *)data, size);
	if (text) {
		struct hd_uword origin = { NULL, (char *)"/etc/default/docker", 1, 1 };

		hd_unit_split_words(text, &origin, &plain, &probs);
		hd_free(text);
	}
out:
	hd_free(cf);
	hd_uwords_release(&words);
	hd_uwords_release(&plain);
	hd_uenv_release(&env);
	hd_uproblems_release(&probs);
	hd_unit_release(&u);
	hd_daemon_spec_release(&d);
	return 0;
}
