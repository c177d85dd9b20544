/*
 * libcurl GET of one feed into memory (see fetch.h).
 */
#include "core/common.h"
#include "vuln/fetch.h"

#include <curl/curl.h>

const char *const hd_default_feeds[] = {
	"https://security-tracker.debian.org/tracker/data/json",
	"https://secdb.alpinelinux.org/v3.18/main.json",
	"https://secdb.alpinelinux.org/v3.18/community.json",
	"https://secdb.alpinelinux.org/v3.19/main.json",
	"https://secdb.alpinelinux.org/v3.19/community.json",
	"https://secdb.alpinelinux.org/v3.20/main.json",
	"https://secdb.alpinelinux.org/v3.20/community.json",
	"https://secdb.alpinelinux.org/v3.21/main.json",
	"https://secdb.alpinelinux.org/v3.21/community.json",
	"https://osv-vulnerabilities.storage.googleapis.com/npm/all.zip",
	"https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip",
	"https://osv-vulnerabilities.storage.googleapis.com/Go/all.zip",
	"https://osv-vulnerabilities.storage.googleapis.com/Maven/all.zip",
	NULL,
};

struct sink {
	struct hd_buf *b;
	bool too_big;
};

static size_t on_data(char *p, size_t size, size_t n, void *ud)
{
	struct sink *s = ud;

	if (hd_buf_add(s->b, p, size * n) < 0) {
		s->too_big = true;
		return 0;
	}
	return size * n;
}

int hd_fetch(const char *url, struct hd_buf *out, int64_t *mtime, long timeout_s, struct hd_diag *diag)
{
	CURL *c = curl_easy_init();
	struct sink s = { out, false };
	char err[CURL_ERROR_SIZE] = "";
	long status = 0, ft = -1;
	CURLcode rc;

	*mtime = 0;
	if (!c)
		return -HD_ENOMEM;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_s);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_FILETIME, 1L);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_USERAGENT, "hardock/" HD_VERSION);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(c, CURLINFO_FILETIME, &ft);
	curl_easy_cleanup(c);
	if (s.too_big) {
		hd_diag_set(diag, url, 0, 0, "the feed is larger than %zu bytes", out->max);
		return -HD_ETOOBIG;
	}
	if (rc == CURLE_OPERATION_TIMEDOUT) {
		hd_diag_set(diag, url, 0, 0, "no complete answer within %ld s", timeout_s);
		return -HD_ETIMEOUT;
	}
	if (rc != CURLE_OK) {
		hd_diag_set(diag, url, 0, 0, "cannot fetch it: %s", err[0] ? err : curl_easy_strerror(rc));
		return -HD_ECONNECT;
	}
	if (status >= 400 || (status && status < 200)) {
		hd_diag_set(diag, url, 0, 0, "the server answered HTTP %ld", status);
		return -HD_EPROTO;
	}
	if (ft > 0)
		*mtime = ft;
	return 0;
}
