/* SPDX-License-Identifier: MIT */
/*
 * The root certificate store (certs.h), with OpenSSL.
 */
#include "certs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PEM_MAX 10240 /* CertificateSigned: a chain of up to 10000 characters */

struct certs {
	char dir[512];
};

/* A certificate is valid now: its notAfter has not passed, and its notBefore
 * is at most CERT_CLOCK_SKEW_S ahead (a certificate signed just now by a
 * CSMS whose clock is a little ahead of the charger's is not refused). */
#define CERT_CLOCK_SKEW_S 300

static bool valid_now(X509 *x, int64_t utc)
{
	time_t now = (time_t)utc, ahead = (time_t)(utc + CERT_CLOCK_SKEW_S);
	return X509_cmp_time(X509_get0_notBefore(x), &ahead) <= 0 &&
	       X509_cmp_time(X509_get0_notAfter(x), &now) >= 0;
}

static const char *const use_prefix[] = {"csroot", "mfroot"};

static bool path_in(const struct certs *c, const char *name, char *out, size_t len);

/* A charge point certificate on trial when the last run ended: a commit cut
 * short (the key moved, not the certificate) is finished; a trial that never
 * connected is dropped (the certificate before stays). */
static void trial_recover(struct certs *c)
{
	char kt[800], pt[800], pem[800];
	if (!path_in(c, "cp.key.trial", kt, sizeof kt) ||
	    !path_in(c, "cp.pem.trial", pt, sizeof pt) || !path_in(c, "cp.pem", pem, sizeof pem))
		return;
	bool key = access(kt, F_OK) == 0, cert = access(pt, F_OK) == 0;
	if (cert && !key)
		(void)rename(pt, pem);
	else if (cert || key)
		certs_client_drop(c);
}

struct certs *certs_open(const char *dir, char *err, size_t errlen)
{
	struct certs *c = calloc(1, sizeof *c);
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if ((size_t)snprintf(c->dir, sizeof c->dir, "%s/certs", dir) >= sizeof c->dir) {
		snprintf(err, errlen, "%s: path too long", dir);
		free(c);
		return NULL;
	}
	if (mkdir(c->dir, 0700) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", c->dir, strerror(errno));
		free(c);
		return NULL;
	}
	(void)chmod(c->dir, 0700);
	trial_recover(c);
	return c;
}

void certs_close(struct certs *c)
{
	free(c);
}

static X509 *parse(const char *pem)
{
	size_t n = strlen(pem);
	if (n == 0 || n > PEM_MAX)
		return NULL;
	BIO *b = BIO_new_mem_buf(pem, (int)n);
	X509 *x = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
	BIO_free(b);
	return x;
}

static const EVP_MD *md_of(const char *alg)
{
	if (strcmp(alg, "SHA256") == 0)
		return EVP_sha256();
	if (strcmp(alg, "SHA384") == 0)
		return EVP_sha384();
	if (strcmp(alg, "SHA512") == 0)
		return EVP_sha512();
	return NULL;
}

static bool hex_digest(const EVP_MD *md, const unsigned char *data, size_t len, char *out,
		       size_t outlen)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned dl = 0;
	if (EVP_Digest(data, len, d, &dl, md, NULL) != 1 || (size_t)dl * 2 + 1 > outlen)
		return false;
	for (unsigned i = 0; i < dl; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
	return true;
}

static bool hash_data(X509 *x, const char *alg, struct certs_id *out)
{
	const EVP_MD *md = md_of(alg);
	if (!md)
		return false;
	memset(out, 0, sizeof *out);
	snprintf(out->hash_alg, sizeof out->hash_alg, "%s", alg);
	unsigned char *der = NULL;
	int n = i2d_X509_NAME(X509_get_issuer_name(x), &der);
	bool ok = n > 0 && hex_digest(md, der, (size_t)n, out->name_hash, sizeof out->name_hash);
	OPENSSL_free(der);
	/* Self-signed: the issuer's key is the certificate's own. */
	const ASN1_BIT_STRING *key = X509_get0_pubkey_bitstr(x);
	ok = ok && key &&
	     hex_digest(md, ASN1_STRING_get0_data(key), (size_t)ASN1_STRING_length(key),
			out->key_hash, sizeof out->key_hash);
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	char *hex = bn ? BN_bn2hex(bn) : NULL;
	ok = ok && hex && strlen(hex) < sizeof out->serial;
	if (ok) {
		/* Lower case, no leading zeroes. */
		const char *p = hex;
		while (p[0] == '0' && p[1])
			p++;
		size_t k = 0;
		for (; *p && k + 1 < sizeof out->serial; p++)
			out->serial[k++] = (char)(*p >= 'A' && *p <= 'F' ? *p - 'A' + 'a' : *p);
		out->serial[k] = '\0';
	}
	OPENSSL_free(hex);
	BN_free(bn);
	return ok;
}

bool certs_hash_data(const char *pem, const char *alg, struct certs_id *out)
{
	X509 *x = parse(pem);
	bool ok = x && hash_data(x, alg, out);
	X509_free(x);
	return ok;
}

/* Read one stored certificate. */
static X509 *load(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	X509 *x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	return x;
}

/* Calls fn for each stored file of use (use < 0: any); stops when fn
 * returns true. The number of files. */
static int each(struct certs *c, int use, bool (*fn)(void *u, const char *path, X509 *x), void *u)
{
	DIR *d = opendir(c->dir);
	if (!d)
		return -1;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		const char *name = e->d_name;
		int which = -1;
		for (int k = 0; k < 2; k++)
			if (strncmp(name, use_prefix[k], strlen(use_prefix[k])) == 0 &&
			    name[strlen(use_prefix[k])] == '-')
				which = k;
		size_t len = strlen(name);
		if (which < 0 || (use >= 0 && which != use) || len < 5 ||
		    strcmp(name + len - 4, ".pem") != 0)
			continue;
		char path[800];
		snprintf(path, sizeof path, "%s/%s", c->dir, name);
		X509 *x = load(path);
		if (!x)
			continue;
		n++;
		bool stop = fn ? fn(u, path, x) : false;
		X509_free(x);
		if (stop)
			break;
	}
	closedir(d);
	return n;
}

enum certs_result certs_install(struct certs *c, enum certs_use use, const char *pem, int64_t utc,
				char *why, size_t whylen)
{
	X509 *x = parse(pem);
	if (!x) {
		snprintf(why, whylen, "not a PEM certificate");
		return CERTS_REJECTED;
	}
	enum certs_result r = CERTS_ACCEPTED;
	if (X509_check_ca(x) < 1 || X509_check_issued(x, x) != X509_V_OK) {
		snprintf(why, whylen, "not a self-signed CA certificate");
		r = CERTS_REJECTED;
	} else if (!valid_now(x, utc)) {
		snprintf(why, whylen, "not valid now");
		r = CERTS_REJECTED;
	} else {
		EVP_PKEY *k = X509_get0_pubkey(x);
		if (!k || X509_verify(x, k) != 1) {
			snprintf(why, whylen, "its signature does not verify");
			r = CERTS_REJECTED;
		}
	}
	unsigned char fp[EVP_MAX_MD_SIZE];
	unsigned fl = 0;
	char hex[2 * EVP_MAX_MD_SIZE + 1] = "";
	if (r == CERTS_ACCEPTED && X509_digest(x, EVP_sha256(), fp, &fl) != 1) {
		snprintf(why, whylen, "no fingerprint");
		r = CERTS_FAILED;
	}
	for (unsigned i = 0; i < fl; i++)
		snprintf(hex + 2 * i, 3, "%02x", fp[i]);
	char path[800], tmp[820];
	snprintf(path, sizeof path, "%s/%s-%s.pem", c->dir, use_prefix[use], hex);
	snprintf(tmp, sizeof tmp, "%s.new", path);
	if (r == CERTS_ACCEPTED && access(path, F_OK) != 0 &&
	    each(c, (int)use, NULL, NULL) >= CERTS_MAX) {
		snprintf(why, whylen, "already %d certificates of this type", CERTS_MAX);
		r = CERTS_FAILED;
	} else if (r == CERTS_ACCEPTED && access(path, F_OK) != 0) {
		int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
		bool ok = f && PEM_write_X509(f, x) == 1 && fflush(f) == 0 && fsync(fd) == 0;
		if (f)
			ok = fclose(f) == 0 && ok;
		else if (fd >= 0)
			close(fd);
		if (!ok || rename(tmp, path) != 0) {
			snprintf(why, whylen, "%s: cannot write", path);
			(void)unlink(tmp);
			r = CERTS_FAILED;
		}
	}
	X509_free(x);
	return r;
}

struct list_ctx {
	struct certs_id *out;
	int max, n;
};

static bool list_one(void *u, const char *path, X509 *x)
{
	(void)path;
	struct list_ctx *l = u;
	if (l->n < l->max && hash_data(x, "SHA256", &l->out[l->n]))
		l->n++;
	return false;
}

int certs_list(struct certs *c, enum certs_use use, struct certs_id *out, int max)
{
	struct list_ctx l = {out, max, 0};
	return each(c, (int)use, list_one, &l) < 0 ? -1 : l.n;
}

struct del_ctx {
	const struct certs_id *id;
	bool found, removed;
	bool keep_last; /* the last Central System root stays */
	int cs_roots;
	bool refused;
};

/* Serial numbers compare without case and leading zeroes. */
static bool same_serial(const char *a, const char *b)
{
	while (*a == '0' && a[1])
		a++;
	while (*b == '0' && b[1])
		b++;
	return strcasecmp(a, b) == 0;
}

static bool del_one(void *u, const char *path, X509 *x)
{
	struct del_ctx *d = u;
	struct certs_id h;
	if (!hash_data(x, d->id->hash_alg, &h) || strcasecmp(h.name_hash, d->id->name_hash) != 0 ||
	    strcasecmp(h.key_hash, d->id->key_hash) != 0 || !same_serial(h.serial, d->id->serial))
		return false;
	d->found = true;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (d->keep_last && d->cs_roots <= 1 &&
	    strncmp(base, use_prefix[CERTS_CENTRAL_SYSTEM_ROOT],
		    strlen(use_prefix[CERTS_CENTRAL_SYSTEM_ROOT])) == 0) {
		d->refused = true;
		return true;
	}
	d->removed = unlink(path) == 0;
	return true;
}

static bool count_one(void *u, const char *path, X509 *x)
{
	(void)u, (void)path, (void)x;
	return false;
}

enum certs_result certs_delete(struct certs *c, const struct certs_id *id, bool keep_last_cs_root)
{
	struct del_ctx d = {id, false, false, keep_last_cs_root, 0, false};
	if (!md_of(id->hash_alg))
		return CERTS_FAILED;
	if (keep_last_cs_root)
		d.cs_roots = each(c, CERTS_CENTRAL_SYSTEM_ROOT, count_one, NULL);
	if (d.cs_roots < 0 || each(c, -1, del_one, &d) < 0)
		return CERTS_FAILED;
	return !d.found	   ? CERTS_NOT_FOUND
	       : d.refused ? CERTS_REJECTED
	       : d.removed ? CERTS_ACCEPTED
			   : CERTS_FAILED;
}

/* ---- firmware signatures ------------------------------------------------------ */

struct store_ctx {
	X509_STORE *st;
	int n;
};

static bool add_root(void *u, const char *path, X509 *x)
{
	(void)path;
	struct store_ctx *s = u;
	if (X509_STORE_add_cert(s->st, x) == 1)
		s->n++;
	return false;
}

bool certs_verify_signer(struct certs *c, const char *pem, int64_t utc, char *why, size_t whylen)
{
	X509 *x = parse(pem);
	if (!x) {
		snprintf(why, whylen, "the signing certificate is not a PEM certificate");
		return false;
	}
	struct store_ctx s = {X509_STORE_new(), 0};
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	bool ok = s.st && ctx && each(c, CERTS_MANUFACTURER_ROOT, add_root, &s) >= 0 && s.n > 0;
	if (!ok)
		snprintf(why, whylen, "no manufacturer root certificate installed");
	if (ok && X509_STORE_CTX_init(ctx, s.st, x, NULL) == 1) {
		X509_STORE_CTX_set_time(ctx, 0, (time_t)utc);
		ok = X509_verify_cert(ctx) == 1;
		if (!ok)
			snprintf(why, whylen, "the signing certificate: %s",
				 X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)));
	} else if (ok) {
		snprintf(why, whylen, "out of memory");
		ok = false;
	}
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(s.st);
	X509_free(x);
	return ok;
}

bool certs_verify_file(const char *pem, const char *signature, const char *path, char *why,
		       size_t whylen)
{
	/* base64 (the schema caps it at 800 characters). */
	size_t n = strlen(signature);
	unsigned char sig[800];
	if (n == 0 || n > sizeof sig || n % 4 != 0) {
		snprintf(why, whylen, "the signature is not base64");
		return false;
	}
	int len = EVP_DecodeBlock(sig, (const unsigned char *)signature, (int)n);
	if (len < 0) {
		snprintf(why, whylen, "the signature is not base64");
		return false;
	}
	/* EVP_DecodeBlock counts the padding as bytes. */
	for (size_t k = n; k > 0 && signature[k - 1] == '='; k--)
		len--;
	X509 *x = parse(pem);
	EVP_PKEY *key = x ? X509_get0_pubkey(x) : NULL;
	FILE *f = fopen(path, "rb");
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	bool ok = key && f && md && EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) == 1;
	unsigned char buf[16384];
	size_t got;
	while (ok && (got = fread(buf, 1, sizeof buf, f)) > 0)
		ok = EVP_DigestVerifyUpdate(md, buf, got) == 1;
	ok = ok && !ferror(f);
	if (!ok)
		snprintf(why, whylen, "cannot check the signature");
	else if (EVP_DigestVerifyFinal(md, sig, (size_t)len) != 1) {
		snprintf(why, whylen, "the signature does not match the firmware");
		ok = false;
	}
	EVP_MD_CTX_free(md);
	if (f)
		fclose(f);
	X509_free(x);
	return ok;
}

/* ---- the charge point's key and certificate --------------------------------- */

static bool path_in(const struct certs *c, const char *name, char *out, size_t len)
{
	return (size_t)snprintf(out, len, "%s/%s", c->dir, name) < len;
}

/* Write text to path (mode 0600) through a file beside it, synced. */
static bool write_private(const char *path, const char *text, size_t n)
{
	char tmp[900];
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp)
		return false;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return false;
	bool ok = write(fd, text, n) == (ssize_t)n && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		(void)unlink(tmp);
		return false;
	}
	return true;
}

/* A memory BIO's text; NULL if none. */
static char *bio_text(BIO *b, size_t *n)
{
	char *p = NULL;
	long len = BIO_get_mem_data(b, &p);
	if (len <= 0)
		return NULL;
	*n = (size_t)len;
	return p;
}

bool certs_csr_new(struct certs *c, const char *cn, const char *org, char *csr, size_t csrlen,
		   char *why, size_t whylen)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509_REQ *req = X509_REQ_new();
	X509_NAME *name = X509_NAME_new();
	BIO *kb = BIO_new(BIO_s_mem()), *rb = BIO_new(BIO_s_mem());
	bool ok = key && req && name && kb && rb &&
		  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)cn,
					     -1, -1, 0) == 1 &&
		  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, (const unsigned char *)org,
					     -1, -1, 0) == 1 &&
		  X509_REQ_set_version(req, 0) == 1 && X509_REQ_set_subject_name(req, name) == 1 &&
		  X509_REQ_set_pubkey(req, key) == 1 && X509_REQ_sign(req, key, EVP_sha256()) > 0 &&
		  PEM_write_bio_PrivateKey(kb, key, NULL, NULL, 0, NULL, NULL) == 1 &&
		  PEM_write_bio_X509_REQ(rb, req) == 1;
	size_t kn = 0, rn = 0;
	char *kt = ok ? bio_text(kb, &kn) : NULL, *rt = ok ? bio_text(rb, &rn) : NULL;
	char kpath[800];
	if (!ok || !kt || !rt)
		snprintf(why, whylen, "cannot make a key and a request");
	else if (rn + 1 > csrlen)
		snprintf(why, whylen, "the request is too long");
	else if (!path_in(c, "cp.key.new", kpath, sizeof kpath) || !write_private(kpath, kt, kn))
		snprintf(why, whylen, "cannot store the new key");
	else {
		memcpy(csr, rt, rn);
		csr[rn] = '\0';
		ok = true;
		goto done;
	}
	ok = false;
done:
	/* The key's text is wiped before the BIO is freed. */
	if (kt)
		OPENSSL_cleanse(kt, kn);
	BIO_free(kb);
	BIO_free(rb);
	X509_NAME_free(name);
	X509_REQ_free(req);
	EVP_PKEY_free(key);
	return ok;
}

bool certs_signed(struct certs *c, const char *chain, int64_t utc, char *why, size_t whylen)
{
	char kpath[800], cpath[800], knew[800];
	if (!path_in(c, "cp.key.trial", kpath, sizeof kpath) ||
	    !path_in(c, "cp.pem.trial", cpath, sizeof cpath) ||
	    !path_in(c, "cp.key.new", knew, sizeof knew)) {
		snprintf(why, whylen, "path too long");
		return false;
	}
	FILE *f = fopen(knew, "r");
	EVP_PKEY *key = f ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : NULL;
	if (f)
		fclose(f);
	if (!key) {
		snprintf(why, whylen, "no certificate was asked for (no SignCertificate)");
		return false;
	}
	X509 *x = parse(chain);
	bool ok = false;
	if (!x)
		snprintf(why, whylen, "not a PEM certificate chain");
	else if (EVP_PKEY_eq(X509_get0_pubkey(x), key) != 1)
		snprintf(why, whylen, "the certificate is not for the charge point's new key");
	else if (!valid_now(x, utc))
		snprintf(why, whylen, "the certificate is not valid now");
	/* The key first: a certificate on trial without its key can only be
	 * a commit cut short (trial_recover). */
	else if (rename(knew, kpath) != 0)
		snprintf(why, whylen, "cannot store the certificate");
	else if (!write_private(cpath, chain, strlen(chain))) {
		(void)rename(kpath, knew);
		snprintf(why, whylen, "cannot store the certificate");
	} else
		ok = true;
	X509_free(x);
	EVP_PKEY_free(key);
	return ok;
}

bool certs_client_commit(struct certs *c, char *why, size_t whylen)
{
	char kt[800], pt[800], key[800], pem[800];
	if (!path_in(c, "cp.key.trial", kt, sizeof kt) ||
	    !path_in(c, "cp.pem.trial", pt, sizeof pt) || !path_in(c, "cp.key", key, sizeof key) ||
	    !path_in(c, "cp.pem", pem, sizeof pem)) {
		snprintf(why, whylen, "path too long");
		return false;
	}
	/* The key first: a cut between the two is finished at the next
	 * certs_open (trial_recover). */
	if (rename(kt, key) != 0 || rename(pt, pem) != 0) {
		snprintf(why, whylen, "cannot move it in place: %s", strerror(errno));
		return false;
	}
	return true;
}

void certs_client_drop(struct certs *c)
{
	char kt[800], pt[800];
	if (path_in(c, "cp.key.trial", kt, sizeof kt))
		(void)unlink(kt);
	if (path_in(c, "cp.pem.trial", pt, sizeof pt))
		(void)unlink(pt);
}

bool certs_client_paths(const struct certs *c, char *cert, size_t certlen, char *key, size_t keylen)
{
	if (path_in(c, "cp.pem.trial", cert, certlen) && path_in(c, "cp.key.trial", key, keylen) &&
	    access(cert, R_OK) == 0 && access(key, R_OK) == 0)
		return true;
	return path_in(c, "cp.pem", cert, certlen) && path_in(c, "cp.key", key, keylen) &&
	       access(cert, R_OK) == 0 && access(key, R_OK) == 0;
}

static bool bundle_one(void *u, const char *path, X509 *x)
{
	(void)path;
	FILE *f = u;
	(void)PEM_write_X509(f, x);
	return false;
}

int certs_ca_bundle(struct certs *c, char *path, size_t len)
{
	char tmp[900];
	if (!path_in(c, "csroots.pem", path, len) ||
	    (size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp)
		return -1;
	FILE *f = fopen(tmp, "w");
	if (!f)
		return -1;
	int n = each(c, CERTS_CENTRAL_SYSTEM_ROOT, bundle_one, f);
	bool ok = fflush(f) == 0 && !ferror(f);
	ok = fclose(f) == 0 && ok;
	if (n <= 0 || !ok) {
		(void)unlink(tmp);
		(void)unlink(path);
		return ok ? n : -1;
	}
	if (rename(tmp, path) != 0) {
		(void)unlink(tmp);
		return -1;
	}
	return n;
}

/* ---- a security profile on trial -------------------------------------------- */

bool certs_profile_trial_put(struct certs *c, int64_t from)
{
	char path[800], text[24];
	if (!path_in(c, "profile.trial", path, sizeof path))
		return false;
	if (from < 0)
		return unlink(path) == 0 || errno == ENOENT;
	int n = snprintf(text, sizeof text, "%lld\n", (long long)from);
	return write_private(path, text, (size_t)n);
}

int64_t certs_profile_trial_get(const struct certs *c)
{
	char path[800], text[24] = "";
	if (!path_in(c, "profile.trial", path, sizeof path))
		return -1;
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	bool ok = fgets(text, sizeof text, f) != NULL;
	fclose(f);
	char *end;
	long long v = ok ? strtoll(text, &end, 10) : -1;
	return ok && end != text && v >= 0 && v <= 3 ? (int64_t)v : -1;
}
