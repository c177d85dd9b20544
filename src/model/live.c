/*
 * Constructors and destructor of the live container state (see live.h).
 */
#include "core/common.h"
#include "model/live.h"

struct hd_live_state *hd_live_state_new(void)
{
	return hd_calloc(1, sizeof(struct hd_live_state));
}

void hd_live_state_free(struct hd_live_state *l)
{
	size_t i;

	if (!l)
		return;
	hd_free(l->image_id);
	hd_free(l->health);
	hd_free(l->health_output);
	hd_free(l->processes_note);
	for (i = 0; i < l->n_procs; i++)
		hd_free(l->procs[i].args);
	hd_free(l->procs);
	for (i = 0; i < l->n_execs; i++) {
		hd_free(l->execs[i].id);
		hd_free(l->execs[i].user);
		hd_free(l->execs[i].command);
		hd_origin_release(&l->execs[i].at);
	}
	hd_free(l->execs);
	hd_origin_release(&l->bridge_at);
	hd_free(l->apparmor_profile);
	hd_free(l->process_label);
	hd_free(l->engine_socket);
	hd_free(l->data_root);
	hd_free(l);
}

struct hd_exec_session *hd_live_add_exec(struct hd_live_state *l)
{
	if (HD_GROW(l->execs, l->alloc_execs, l->n_execs + 1) < 0)
		return NULL;
	memset(&l->execs[l->n_execs], 0, sizeof(l->execs[0]));
	return &l->execs[l->n_execs++];
}

struct hd_process *hd_live_add_process(struct hd_live_state *l)
{
	if (HD_GROW(l->procs, l->alloc_procs, l->n_procs + 1) < 0)
		return NULL;
	memset(&l->procs[l->n_procs], 0, sizeof(l->procs[0]));
	l->procs[l->n_procs].uid = -1;
	return &l->procs[l->n_procs++];
}
