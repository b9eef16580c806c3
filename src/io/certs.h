/* SPDX-License-Identifier: MIT */
/*
 * Root certificates the CSMS installs (C12: InstallCertificate,
 * GetInstalledCertificateIds, DeleteCertificate), kept in
 * <data dir>/certs (mode 0700), one PEM file each (0600), named by use and
 * SHA-256 fingerprint. Only self-signed CA certificates valid at the given
 * time are taken; at most CERTS_MAX per use. The hash data that names a
 * certificate (issuer name hash, issuer key hash, serial number) is
 * computed with OpenSSL as OCPP asks: the hash of the DER issuer name, of the
 * issuer's public key bits (the certificate's own: it is self-signed), the
 * serial in hexadecimal.
 *
 * The manufacturer roots check the signing certificates of
 * SignedUpdateFirmware (certs_verify_signer, certs_verify_file); the Central
 * System roots are bundled for the connection (certs_ca_bundle). The charge
 * point's own key and certificate: a new one is kept aside on trial until a
 * connection with it succeeds (certs_client_commit) or fails
 * (certs_client_drop). Not here: the TLS connection itself (ocpp_ws.c).
 */
#ifndef EVSED_CERTS_H
#define EVSED_CERTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CERTS_MAX 10

enum certs_use { CERTS_CENTRAL_SYSTEM_ROOT, CERTS_MANUFACTURER_ROOT };
enum certs_result { CERTS_ACCEPTED, CERTS_REJECTED, CERTS_FAILED, CERTS_NOT_FOUND };

struct certs_id {
	char hash_alg[8]; /* SHA256, SHA384, SHA512 */
	char name_hash[129];
	char key_hash[129];
	char serial[41];
};

struct certs;

/* The store under <dir>/certs (made if missing). NULL with err. */
struct certs *certs_open(const char *dir, char *err, size_t errlen);
void certs_close(struct certs *c);

/* Install the PEM certificate (one) for use, checked at utc (UTC
 * seconds): CERTS_ACCEPTED (also if it was there), CERTS_REJECTED (not a
 * valid self-signed CA certificate, or not valid at utc), CERTS_FAILED (no
 * room, or it cannot be written). why says more. */
enum certs_result certs_install(struct certs *c, enum certs_use use, const char *pem, int64_t utc,
				char *why, size_t whylen);
/* The installed certificates of use, their hash data with SHA-256, into
 * out[0..max): how many (-1 if the directory cannot be read). */
int certs_list(struct certs *c, enum certs_use use, struct certs_id *out, int max);
/* Delete the certificate (of any use) id names (with its hash_alg):
 * CERTS_ACCEPTED, CERTS_NOT_FOUND, or CERTS_FAILED; CERTS_REJECTED (nothing
 * deleted) when it is the last Central System root and keep_last_cs_root
 * (the connection verifies the CSMS with the installed roots). */
enum certs_result certs_delete(struct certs *c, const struct certs_id *id, bool keep_last_cs_root);
/* SignedUpdateFirmware: is the PEM signing certificate issued (directly or
 * through nothing else) by an installed manufacturer root, and valid at
 * utc? why says why not. */
bool certs_verify_signer(struct certs *c, const char *pem, int64_t utc, char *why, size_t whylen);
/* Is signature (base64) the PEM certificate's key's SHA-256 signature of
 * the file at path? why says why not. */
bool certs_verify_file(const char *pem, const char *signature, const char *path, char *why,
		       size_t whylen);
/* The charge point's own key and certificate (SignCertificate /
 * CertificateSigned): a new P-256 key is made and kept aside
 * (certs/cp.key.new, 0600; the private key is never logged or handed out)
 * and its certificate signing request for subject CN=cn, O=org written as
 * PEM into csr. false with why. */
bool certs_csr_new(struct certs *c, const char *cn, const char *org, char *csr, size_t csrlen,
		   char *why, size_t whylen);
/* The CSMS's signed certificate chain (PEM, the charge point's certificate
 * first): taken on trial (certs/cp.pem.trial, the key moved to
 * certs/cp.key.trial) if the certificate is for the key made aside and valid
 * at utc; false with why otherwise (nothing changes). */
bool certs_signed(struct certs *c, const char *chain, int64_t utc, char *why, size_t whylen);
/* The certificate on trial becomes the charge point's (certs/cp.pem,
 * certs/cp.key, replacing the one before); false with why. */
bool certs_client_commit(struct certs *c, char *why, size_t whylen);
/* The certificate on trial is removed (the one before stays). */
void certs_client_drop(struct certs *c);
/* The charge point certificate and key files into cert and key: the pair
 * on trial if there is one, else certs/cp.pem, certs/cp.key; false if
 * CertificateSigned never took one. */
bool certs_client_paths(const struct certs *c, char *cert, size_t certlen, char *key,
			size_t keylen);
/* Write the installed Central System roots into one PEM bundle
 * (certs/csroots.pem, replaced) and its path into path: how many (0: none,
 * no file; -1 on error). */
int certs_ca_bundle(struct certs *c, char *path, size_t len);
/* A SecurityProfile change on trial (C12), coming from profile from:
 * certs/profile.trial written aside and synced (false if it could not be);
 * from < 0 removes it. certs_profile_trial_get: the profile in it, -1 if
 * none (or unreadable). */
bool certs_profile_trial_put(struct certs *c, int64_t from);
int64_t certs_profile_trial_get(const struct certs *c);
/* The hash data of a PEM certificate (for tests and logs). */
bool certs_hash_data(const char *pem, const char *alg, struct certs_id *out);

#endif
