/*
 * CycloneDX 1.6 and SPDX 2.3 documents of a package list, built with
 * jansson and dumped with sorted-as-inserted keys, so that the same list
 * and time always give the same bytes.  The document identifiers (the
 * CycloneDX serial number, the SPDX namespace) are derived from a SHA-256
 * of the subject and the purls.
 */
#include "core/common.h"
#include "vuln/sbom.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <time.h>

int hd_sbom_format_from_name(const char *name)
{
	if (!strcmp(name, "cyclonedx"))
		return HD_SBOM_CYCLONEDX;
	if (!strcmp(name, "spdx"))
		return HD_SBOM_SPDX;
	return -1;
}

/* SHA-256 of the subject and every purl, as 64 hex digits. */
static int content_hash(const struct hd_packages *pk, const char *subject, char hex[65])
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t i;
	int ok;

	if (!ctx)
		return -HD_ENOMEM;
	ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	ok = ok && EVP_DigestUpdate(ctx, subject, strlen(subject) + 1);
	for (i = 0; ok && i < pk->n; i++)
		ok = EVP_DigestUpdate(ctx, pk->v[i].purl, strlen(pk->v[i].purl) + 1);
	ok = ok && EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	if (!ok || mdlen != 32)
		return -HD_ENOMEM;
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return 0;
}

static void iso_time(int64_t t, char buf[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, 32, "1970-01-01T00:00:00Z");
}

/* Sets key to a new string; false on OOM. */
static bool set_str(json_t *o, const char *key, const char *v)
{
	return json_object_set_new(o, key, json_string(v ? v : "")) == 0;
}

static bool add_prop(json_t *props, const char *name, const char *value)
{
	json_t *p;

	if (!value)
		return true;
	p = json_pack("{s:s, s:s}", "name", name, "value", value);
	return p && json_array_append_new(props, p) == 0;
}

/* ---- CycloneDX --------------------------------------------------------- */

static json_t *cdx_component(const struct hd_package *p, const char *ref)
{
	json_t *c = json_object(), *props = json_array();
	bool ok = c && props;

	ok = ok && set_str(c, "type", "library") && set_str(c, "bom-ref", ref) && set_str(c, "name", p->name) &&
	     set_str(c, "version", p->version) && set_str(c, "purl", p->purl);
	if (ok && p->license) {
		json_t *lic = json_pack("[{s:{s:s}}]", "license", "name", p->license);

		ok = lic && json_object_set_new(c, "licenses", lic) == 0;
	}
	ok = ok && add_prop(props, "hardock:ecosystem", hd_eco_name(p->eco)) &&
	     add_prop(props, "hardock:path", p->path) && add_prop(props, "hardock:layer", p->layer);
	if (ok && p->source_name && hd_eco_is_os(p->eco))
		ok = add_prop(props, "hardock:source-name", p->source_name) &&
		     add_prop(props, "hardock:source-version", p->source_version);
	if (ok && json_array_size(props) > 0)
		ok = json_object_set(c, "properties", props) == 0;
	json_decref(props);
	if (!ok) {
		json_decref(c);
		return NULL;
	}
	return c;
}

static json_t *cyclonedx(const struct hd_packages *pk, const struct hd_sbom_meta *m, const char *hash)
{
	json_t *doc = json_object(), *meta = json_object(), *comps = json_array(), *tool, *subj;
	char serial[64], ts[32], ref[64];
	size_t i;
	bool ok = doc && meta && comps;

	snprintf(serial, sizeof(serial), "urn:uuid:%.8s-%.4s-4%.3s-8%.3s-%.12s", hash, hash + 8, hash + 13, hash + 17,
		 hash + 20);
	iso_time(m->created, ts);
	ok = ok && set_str(doc, "bomFormat", "CycloneDX") && set_str(doc, "specVersion", "1.6") &&
	     set_str(doc, "serialNumber", serial) && json_object_set_new(doc, "version", json_integer(1)) == 0;
	tool = json_pack("{s:[{s:s, s:s, s:s}]}", "components", "type", "application", "name", "hardock",
			 "version", m->tool_version ? m->tool_version : "0");
	subj = json_pack("{s:s, s:s, s:s}", "type", "container", "bom-ref", "subject", "name",
			 m->subject ? m->subject : "");
	ok = ok && tool && subj && set_str(meta, "timestamp", ts) && json_object_set_new(meta, "tools", tool) == 0 &&
	     json_object_set_new(meta, "component", subj) == 0;
	if (!ok) {
		json_decref(tool);
		json_decref(subj);
	}
	ok = ok && json_object_set(doc, "metadata", meta) == 0;
	if (ok && pk->os.id) {
		json_t *os = json_object();

		ok = os && set_str(os, "type", "operating-system") && set_str(os, "bom-ref", "os") &&
		     set_str(os, "name", pk->os.id) &&
		     (!pk->os.version_id || set_str(os, "version", pk->os.version_id)) &&
		     json_array_append_new(comps, os) == 0;
	}
	for (i = 0; ok && i < pk->n; i++) {
		json_t *c;

		/* Component references are unique: the purl, numbered when it repeats. */
		if (i > 0 && !strcmp(pk->v[i].purl, pk->v[i - 1].purl)) {
			snprintf(ref, sizeof(ref), "#%zu", i);
			{
				char *r2 = hd_asprintf("%s%s", pk->v[i].purl, ref);

				c = r2 ? cdx_component(&pk->v[i], r2) : NULL;
				hd_free(r2);
			}
		} else {
			c = cdx_component(&pk->v[i], pk->v[i].purl);
		}
		ok = c && json_array_append_new(comps, c) == 0;
	}
	ok = ok && json_object_set(doc, "components", comps) == 0;
	json_decref(meta);
	json_decref(comps);
	if (!ok) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

/* ---- SPDX -------------------------------------------------------------- */

static json_t *spdx_package(const struct hd_package *p, size_t i)
{
	char id[64];
	json_t *o = json_object(), *refs;
	bool ok = o != NULL;

	snprintf(id, sizeof(id), "SPDXRef-Package-%s-%zu", hd_eco_name(p->eco), i + 1);
	refs = json_pack("[{s:s, s:s, s:s}]", "referenceCategory", "PACKAGE-MANAGER", "referenceType", "purl",
			 "referenceLocator", p->purl);
	ok = ok && refs && set_str(o, "SPDXID", id) && set_str(o, "name", p->name) &&
	     set_str(o, "versionInfo", p->version) && set_str(o, "downloadLocation", "NOASSERTION") &&
	     json_object_set_new(o, "filesAnalyzed", json_false()) == 0 &&
	     set_str(o, "licenseConcluded", "NOASSERTION") && set_str(o, "licenseDeclared", "NOASSERTION") &&
	     set_str(o, "copyrightText", "NOASSERTION");
	if (ok && p->license)
		ok = set_str(o, "licenseComments", p->license);
	if (ok && p->path) {
		char *info = hd_asprintf("found in %s%s%s", p->path, p->layer ? " of layer " : "",
					 p->layer ? p->layer : "");

		ok = info && set_str(o, "sourceInfo", info);
		hd_free(info);
	}
	if (ok && p->source_name && hd_eco_is_os(p->eco) && strcmp(p->source_name, p->name)) {
		char *sum = hd_asprintf("source package %s %s", p->source_name,
					p->source_version ? p->source_version : "");

		ok = sum && set_str(o, "summary", sum);
		hd_free(sum);
	}
	ok = ok && json_object_set_new(o, "externalRefs", refs) == 0;
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *spdx(const struct hd_packages *pk, const struct hd_sbom_meta *m, const char *hash)
{
	json_t *doc = json_object(), *pkgs = json_array(), *rels = json_array(), *ci, *root;
	char ts[32], *ns = NULL;
	size_t i;
	bool ok = doc && pkgs && rels;

	iso_time(m->created, ts);
	ns = hd_asprintf("https://hardock.invalid/spdxdocs/%s", hash);
	ci = json_pack("{s:s, s:[s]}", "created", ts, "creators", "Tool: hardock");
	ok = ok && ns && ci && set_str(doc, "spdxVersion", "SPDX-2.3") && set_str(doc, "dataLicense", "CC0-1.0") &&
	     set_str(doc, "SPDXID", "SPDXRef-DOCUMENT") && set_str(doc, "name", m->subject ? m->subject : "") &&
	     set_str(doc, "documentNamespace", ns) && json_object_set_new(doc, "creationInfo", ci) == 0;
	if (!ok)
		json_decref(ci);
	root = json_pack("{s:s, s:s, s:s, s:b, s:s}", "SPDXID", "SPDXRef-Subject", "name", m->subject ? m->subject : "",
			 "downloadLocation", "NOASSERTION", "filesAnalyzed", 0, "primaryPackagePurpose", "CONTAINER");
	ok = ok && root && json_array_append_new(pkgs, root) == 0;
	ok = ok && json_array_append_new(rels, json_pack("{s:s, s:s, s:s}", "spdxElementId", "SPDXRef-DOCUMENT",
							  "relationshipType", "DESCRIBES", "relatedSpdxElement",
							  "SPDXRef-Subject")) == 0;
	for (i = 0; ok && i < pk->n; i++) {
		json_t *p = spdx_package(&pk->v[i], i);

		ok = p && json_array_append_new(pkgs, p) == 0 &&
		     json_array_append_new(rels, json_pack("{s:s, s:s, s:s}", "spdxElementId", "SPDXRef-Subject",
							   "relationshipType", "CONTAINS", "relatedSpdxElement",
							   json_string_value(json_object_get(p, "SPDXID")))) == 0;
	}
	ok = ok && json_object_set(doc, "packages", pkgs) == 0 && json_object_set(doc, "relationships", rels) == 0;
	json_decref(pkgs);
	json_decref(rels);
	hd_free(ns);
	if (!ok) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

static int dump_cb(const char *buf, size_t size, void *data)
{
	return fwrite(buf, 1, size, data) == size ? 0 : -1;
}

int hd_sbom_write(FILE *out, enum hd_sbom_format f, const struct hd_packages *pk, const struct hd_sbom_meta *meta)
{
	char hash[65];
	json_t *doc;
	int r;

	r = content_hash(pk, meta->subject ? meta->subject : "", hash);
	if (r < 0)
		return r;
	doc = f == HD_SBOM_SPDX ? spdx(pk, meta, hash) : cyclonedx(pk, meta, hash);
	if (!doc)
		return -HD_ENOMEM;
	r = json_dump_callback(doc, dump_cb, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (r != 0 || fputc('\n', out) == EOF)
		return -HD_EIO;
	return 0;
}
