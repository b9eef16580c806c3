/* SPDX-License-Identifier: MIT */
/*
 * The root certificate store (src/io/certs.c, C12): a self-signed CA is
 * installed (file 0600 in a 0700 directory), listed with the hash data
 * OCPP names it by (checked against values computed with the openssl
 * command: SHA-256 of the DER issuer name and of the public key bits, the
 * serial in hex), deleted by that hash data (NotFound after); a leaf
 * certificate, junk, or a certificate not valid at the given time is
 * Rejected. (The CERTS_MAX limit is not tested here.)
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "io/certs.h"
#include "vclock.h"

/* openssl req -x509 -newkey ec (P-256), CA:TRUE, serial 0x0a1b2c, valid
 * 2026-11-21 .. 2126-10-28. */
static const char *const ca_pem =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBqzCCAVCgAwIBAgIDChssMAoGCCqGSM49BAMCMCoxGDAWBgNVBAMMD2V2c2Vk\n"
    "IHRlc3Qgcm9vdDEOMAwGA1UECgwFZXZzZWQwIBcNMjYxMTIxMTcwMTMwWhgPMjEy\n"
    "NjEwMjgxNzAxMzBaMCoxGDAWBgNVBAMMD2V2c2VkIHRlc3Qgcm9vdDEOMAwGA1UE\n"
    "CgwFZXZzZWQwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQOB6Py50VxEAlzia8j\n"
    "238PS2EiHRR938SkudnZejrxaXVs3GfX2Eut5M7IrZUCpaJ/yhsLwFU+6D0aLftF\n"
    "FVOIo2MwYTAdBgNVHQ4EFgQUBgsDfD6Qm47qBev1dNdkwYA2LL0wHwYDVR0jBBgw\n"
    "FoAUBgsDfD6Qm47qBev1dNdkwYA2LL0wDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8B\n"
    "Af8EBAMCAQYwCgYIKoZIzj0EAwIDSQAwRgIhAJDP/SNL09nWBVQd/Mw3qdVLnm3e\n"
    "ueoE/RwrM5fH0MYMAiEA+eQVAhmAUSSAoU4oo5ynAGN1H4VVG76pYtAUfKdNBY0=\n"
    "-----END CERTIFICATE-----\n";
/* The same, CA:FALSE. */
static const char *const leaf_pem =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBiDCCAS6gAwIBAgIUTed6VonlJC2YwrFQw+U0+aYjfZAwCgYIKoZIzj0EAwIw\n"
    "GjEYMBYGA1UEAwwPZXZzZWQgdGVzdCBsZWFmMCAXDTI2MTEyMTE3MDEzMFoYDzIx\n"
    "MjYxMDI4MTcwMTMwWjAaMRgwFgYDVQQDDA9ldnNlZCB0ZXN0IGxlYWYwWTATBgcq\n"
    "hkjOPQIBBggqhkjOPQMBBwNCAATZ0QYUqC6S7UDnihU6lwshMzegxaMkxt24eAwA\n"
    "HCU/ttr4GXd3XtZgflV5LXMisnWsfHcrCCtH5I5oEO3MmjrSo1AwTjAdBgNVHQ4E\n"
    "FgQUvCsoIOljSxNfxc8o6lU5xzuvsrkwHwYDVR0jBBgwFoAUvCsoIOljSxNfxc8o\n"
    "6lU5xzuvsrkwDAYDVR0TAQH/BAIwADAKBggqhkjOPQQDAgNIADBFAiEAr9ReZCcx\n"
    "N3MVeOeQx2He9uIadySLr106lMNXr0yGt6oCIF2yuqHkWg96aN7DhvaiOJeZ/xsz\n"
    "Lf6uyFxiLUHdItKr\n"
    "-----END CERTIFICATE-----\n";
/* Issued by ca_pem for digitalSignature, serial 0x77. */
static const char *const signer_pem =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBlzCCAT2gAwIBAgIBdzAKBggqhkjOPQQDAjAqMRgwFgYDVQQDDA9ldnNlZCB0\n"
    "ZXN0IHJvb3QxDjAMBgNVBAoMBWV2c2VkMCAXDTI2MTEyMTE3MDQyNVoYDzIxMjUw\n"
    "NjE1MTcwNDI1WjAcMRowGAYDVQQDDBFldnNlZCB0ZXN0IHNpZ25lcjBZMBMGByqG\n"
    "SM49AgEGCCqGSM49AwEHA0IABA6r7EjVSgOIp/pRvUfnUslR3Plhj+ZH3MU1MJFR\n"
    "/BHD61W8AuFk68FtomOcNyxfndsioGBYcqF3jLBSuDh0wBOjYDBeMAwGA1UdEwEB\n"
    "/wQCMAAwDgYDVR0PAQH/BAQDAgeAMB0GA1UdDgQWBBTxRHax5rCAE5pfj+Kl4fEp\n"
    "0QQ+bjAfBgNVHSMEGDAWgBQGCwN8PpCbjuoF6/V012TBgDYsvTAKBggqhkjOPQQD\n"
    "AgNIADBFAiAN3cs5gdmnpSGofQvFkClGZeqYkpoV0QoeMXbia9IxOQIhAPfSOA8L\n"
    "O7/rS1Rwxn4sqQigakWDimWLvMlZA8koOq92\n"
    "-----END CERTIFICATE-----\n";
/* openssl dgst -sha256 -sign <its key> over "evsed firmware bytes", base64. */
static const char *const signature = "MEUCIAuAHmT7uMVWjuJ5iVurH6Fd0SrgrTv4bszDvXZGJs3fAiEAm9pr0b/"
				     "ETW7YMfa4IjDrIRUWYbGj86NnCu2taNxLrm4=";
static const char *const name_hash =
    "5db2cee334cf5423839ffaad8c362bdde67eeea2f1fcfb0f9680fb37c55f5984";
static const char *const key_hash =
    "d7b3c8b94c4fb8a638d9fb42302ffc92544ee788c4a66c1b114c80db10a0fca1";

#define T_VALID 1798761600LL /* 2027-01-01 */

/* ca_pem's notBefore: 2026-11-21T17:01:30Z. */
#define CA_NOT_BEFORE 1795280490LL

static char dir[] = "/tmp/evsed-certs-XXXXXX";

static int setup(void **state)
{
	(void)state;
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[700];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static void install_list_delete(void **state)
{
	(void)state;
	char err[200], why[200];
	struct certs *c = certs_open(dir, err, sizeof err);
	assert_non_null(c);
	char p[700];
	snprintf(p, sizeof p, "%s/certs", dir);
	struct stat sb;
	assert_int_equal(stat(p, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	assert_int_equal(
	    certs_install(c, CERTS_CENTRAL_SYSTEM_ROOT, ca_pem, T_VALID, why, sizeof why),
	    CERTS_ACCEPTED);
	/* Again: still one. */
	assert_int_equal(
	    certs_install(c, CERTS_CENTRAL_SYSTEM_ROOT, ca_pem, T_VALID, why, sizeof why),
	    CERTS_ACCEPTED);
	struct certs_id ids[CERTS_MAX];
	assert_int_equal(certs_list(c, CERTS_CENTRAL_SYSTEM_ROOT, ids, CERTS_MAX), 1);
	assert_int_equal(certs_list(c, CERTS_MANUFACTURER_ROOT, ids + 1, CERTS_MAX - 1), 0);
	assert_string_equal(ids[0].hash_alg, "SHA256");
	assert_string_equal(ids[0].name_hash, name_hash);
	assert_string_equal(ids[0].key_hash, key_hash);
	assert_string_equal(ids[0].serial, "a1b2c");
	/* The file: 0600. */
	DIR *d = opendir(p);
	assert_non_null(d);
	struct dirent *e;
	int files = 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char f[1000];
		snprintf(f, sizeof f, "%s/%s", p, e->d_name);
		assert_int_equal(stat(f, &sb), 0);
		assert_int_equal(sb.st_mode & 0777, 0600);
		assert_non_null(strstr(e->d_name, "csroot-"));
		files++;
	}
	closedir(d);
	assert_int_equal(files, 1);
	/* Delete: by other hash data NotFound; by its own (serial with a
	 * leading zero, upper case) Accepted; then NotFound. */
	struct certs_id other = ids[0];
	other.serial[0] = 'b';
	assert_int_equal(certs_delete(c, &other, false), CERTS_NOT_FOUND);
	struct certs_id mine = ids[0];
	snprintf(mine.serial, sizeof mine.serial, "0A1B2C");
	/* The last Central System root, kept when asked to (it verifies the
	 * connection): nothing deleted. */
	assert_int_equal(certs_delete(c, &mine, true), CERTS_REJECTED);
	assert_int_equal(certs_list(c, CERTS_CENTRAL_SYSTEM_ROOT, ids, CERTS_MAX), 1);
	assert_int_equal(certs_delete(c, &mine, false), CERTS_ACCEPTED);
	assert_int_equal(certs_list(c, CERTS_CENTRAL_SYSTEM_ROOT, ids, CERTS_MAX), 0);
	assert_int_equal(certs_delete(c, &mine, false), CERTS_NOT_FOUND);
	/* SHA-384 hash data names it as well. */
	assert_int_equal(
	    certs_install(c, CERTS_MANUFACTURER_ROOT, ca_pem, T_VALID, why, sizeof why),
	    CERTS_ACCEPTED);
	struct certs_id h384;
	assert_true(certs_hash_data(ca_pem, "SHA384", &h384));
	assert_int_equal(strlen(h384.name_hash), 96);
	/* A manufacturer root is never kept for the connection. */
	assert_int_equal(certs_delete(c, &h384, true), CERTS_ACCEPTED);
	certs_close(c);
}

static void refused(void **state)
{
	(void)state;
	char err[200], why[200];
	struct certs *c = certs_open(dir, err, sizeof err);
	assert_non_null(c);
	assert_int_equal(
	    certs_install(c, CERTS_CENTRAL_SYSTEM_ROOT, leaf_pem, T_VALID, why, sizeof why),
	    CERTS_REJECTED);
	assert_string_equal(why, "not a self-signed CA certificate");
	assert_int_equal(certs_install(c, CERTS_CENTRAL_SYSTEM_ROOT,
				       "-----BEGIN CERTIFICATE-----\nAAAA\n"
				       "-----END CERTIFICATE-----\n",
				       T_VALID, why, sizeof why),
			 CERTS_REJECTED);
	assert_int_equal(certs_install(c, CERTS_CENTRAL_SYSTEM_ROOT, "", T_VALID, why, sizeof why),
			 CERTS_REJECTED);
	/* Before its notBefore (by more than the 5 min of clock skew allowed),
	 * after its notAfter. */
	assert_int_equal(
	    certs_install(c, CERTS_CENTRAL_SYSTEM_ROOT, ca_pem, 1767225600LL, why, sizeof why),
	    CERTS_REJECTED);
	assert_int_equal(
	    certs_install(c, CERTS_CENTRAL_SYSTEM_ROOT, ca_pem, 4102444800LL * 2, why, sizeof why),
	    CERTS_REJECTED);
	assert_int_equal(certs_install(c, CERTS_CENTRAL_SYSTEM_ROOT, ca_pem, CA_NOT_BEFORE - 301,
				       why, sizeof why),
			 CERTS_REJECTED);
	struct certs_id ids[CERTS_MAX];
	assert_int_equal(certs_list(c, CERTS_CENTRAL_SYSTEM_ROOT, ids, CERTS_MAX), 0);
	/* A charger clock up to 5 min behind the signer's is not a reason to
	 * refuse a certificate made just now. */
	assert_int_equal(certs_install(c, CERTS_CENTRAL_SYSTEM_ROOT, ca_pem, CA_NOT_BEFORE - 299,
				       why, sizeof why),
			 CERTS_ACCEPTED);
	certs_close(c);
}

/* SignedUpdateFirmware: the signer chains to an installed manufacturer
 * root (not to a Central System root, not before its notBefore); the
 * signature of the file verifies, not of other bytes, not garbage. */
static void firmware_signature(void **state)
{
	(void)state;
	char err[200], why[200];
	struct certs *c = certs_open(dir, err, sizeof err);
	assert_non_null(c);
	assert_false(certs_verify_signer(c, signer_pem, T_VALID, why, sizeof why));
	assert_string_equal(why, "no manufacturer root certificate installed");
	assert_int_equal(
	    certs_install(c, CERTS_CENTRAL_SYSTEM_ROOT, ca_pem, T_VALID, why, sizeof why),
	    CERTS_ACCEPTED);
	assert_false(certs_verify_signer(c, signer_pem, T_VALID, why, sizeof why));
	assert_int_equal(
	    certs_install(c, CERTS_MANUFACTURER_ROOT, ca_pem, T_VALID, why, sizeof why),
	    CERTS_ACCEPTED);
	assert_true(certs_verify_signer(c, signer_pem, T_VALID, why, sizeof why));
	assert_false(certs_verify_signer(c, signer_pem, 1767225600LL, why, sizeof why));
	assert_false(certs_verify_signer(c, ca_pem + 10, T_VALID, why, sizeof why));
	char path[700];
	snprintf(path, sizeof path, "%s/fw.bin", dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs("evsed firmware bytes", f);
	fclose(f);
	assert_true(certs_verify_file(signer_pem, signature, path, why, sizeof why));
	assert_false(certs_verify_file(ca_pem, signature, path, why, sizeof why)); /* other key */
	assert_false(certs_verify_file(signer_pem, "not base64!", path, why, sizeof why));
	f = fopen(path, "ab");
	assert_non_null(f);
	fputs(".", f);
	fclose(f);
	assert_false(certs_verify_file(signer_pem, signature, path, why, sizeof why));
	assert_string_equal(why, "the signature does not match the firmware");
	unlink(path);
	certs_close(c);
}

/* A self-signed certificate for the key in path, valid from 2026 for 10
 * years, as PEM (malloc'd). */
static char *cert_for_key(const char *keypath)
{
	FILE *f = fopen(keypath, "r");
	assert_non_null(f);
	EVP_PKEY *k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	assert_non_null(k);
	X509 *x = X509_new();
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
	ASN1_TIME_set(X509_getm_notBefore(x), 1767225600);
	ASN1_TIME_set(X509_getm_notAfter(x), 1767225600 + 10 * 365 * 86400);
	X509_set_pubkey(x, k);
	X509_NAME *n = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8, (const unsigned char *)"CP1", -1, -1, 0);
	X509_set_issuer_name(x, n);
	assert_true(X509_sign(x, k, EVP_sha256()) > 0);
	BIO *b = BIO_new(BIO_s_mem());
	PEM_write_bio_X509(b, x);
	char *p = NULL;
	long len = BIO_get_mem_data(b, &p);
	char *out = strndup(p, (size_t)len);
	BIO_free(b);
	X509_free(x);
	EVP_PKEY_free(k);
	return out;
}

/* SignCertificate / CertificateSigned: a key aside (0600) and a CSR that
 * verifies with it; a chain for another key, or out of its validity, is
 * refused; the right one is taken once. */
static void charge_point_certificate(void **state)
{
	(void)state;
	char err[200], why[200], csr[6000];
	struct certs *c = certs_open(dir, err, sizeof err);
	assert_non_null(c);
	assert_false(certs_signed(c, ca_pem, T_VALID, why, sizeof why));
	assert_string_equal(why, "no certificate was asked for (no SignCertificate)");
	assert_true(certs_csr_new(c, "CP1", "Ratio", csr, sizeof csr, why, sizeof why));
	assert_non_null(strstr(csr, "BEGIN CERTIFICATE REQUEST"));
	BIO *b = BIO_new_mem_buf(csr, -1);
	X509_REQ *req = PEM_read_bio_X509_REQ(b, NULL, NULL, NULL);
	BIO_free(b);
	assert_non_null(req);
	assert_int_equal(X509_REQ_verify(req, X509_REQ_get0_pubkey(req)), 1);
	/* The subject: exactly CN (the charge point) and O (CpoName). */
	X509_NAME *subj = X509_REQ_get_subject_name(req);
	char text[80];
	assert_int_equal(X509_NAME_entry_count(subj), 2);
	assert_true(X509_NAME_get_text_by_NID(subj, NID_commonName, text, sizeof text) > 0);
	assert_string_equal(text, "CP1");
	assert_true(X509_NAME_get_text_by_NID(subj, NID_organizationName, text, sizeof text) > 0);
	assert_string_equal(text, "Ratio");
	X509_REQ_free(req);
	char keypath[700];
	snprintf(keypath, sizeof keypath, "%s/certs/cp.key.new", dir);
	struct stat sb;
	assert_int_equal(stat(keypath, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	char *mine = cert_for_key(keypath);
	assert_false(certs_signed(c, ca_pem, T_VALID, why, sizeof why)); /* another key */
	assert_string_equal(why, "the certificate is not for the charge point's new key");
	assert_false(certs_signed(c, mine, 4102444800LL * 2, why, sizeof why));
	assert_string_equal(why, "the certificate is not valid now");
	assert_true(certs_signed(c, mine, T_VALID, why, sizeof why));
	assert_false(certs_signed(c, mine, T_VALID, why, sizeof why)); /* used up */
	/* On trial: the connection gets the new pair; nothing replaced yet. */
	char p[700], cp[700], kp[700];
	assert_true(certs_client_paths(c, cp, sizeof cp, kp, sizeof kp));
	snprintf(p, sizeof p, "%s/certs/cp.pem.trial", dir);
	assert_string_equal(cp, p);
	snprintf(p, sizeof p, "%s/certs/cp.key.trial", dir);
	assert_string_equal(kp, p);
	assert_int_equal(stat(p, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	snprintf(p, sizeof p, "%s/certs/cp.pem", dir);
	assert_int_not_equal(stat(p, &sb), 0);
	/* Dropped: nothing left. */
	certs_client_drop(c);
	assert_false(certs_client_paths(c, cp, sizeof cp, kp, sizeof kp));
	/* Again, kept this time. */
	assert_true(certs_csr_new(c, "CP1", "Ratio", csr, sizeof csr, why, sizeof why));
	free(mine);
	mine = cert_for_key(keypath);
	assert_true(certs_signed(c, mine, T_VALID, why, sizeof why));
	assert_true(certs_client_commit(c, why, sizeof why));
	assert_true(certs_client_paths(c, cp, sizeof cp, kp, sizeof kp));
	snprintf(p, sizeof p, "%s/certs/cp.pem", dir);
	assert_string_equal(cp, p);
	/* A trial left by a stop is dropped at the next open; the one kept
	 * stays. */
	assert_true(certs_csr_new(c, "CP1", "Ratio", csr, sizeof csr, why, sizeof why));
	free(mine);
	mine = cert_for_key(keypath);
	assert_true(certs_signed(c, mine, T_VALID, why, sizeof why));
	certs_close(c);
	c = certs_open(dir, err, sizeof err);
	assert_non_null(c);
	assert_true(certs_client_paths(c, cp, sizeof cp, kp, sizeof kp));
	assert_string_equal(cp, p);
	/* A commit cut between its two renames (the key moved, not the
	 * certificate) is finished at the next open. */
	assert_true(certs_csr_new(c, "CP1", "Ratio", csr, sizeof csr, why, sizeof why));
	free(mine);
	mine = cert_for_key(keypath);
	assert_true(certs_signed(c, mine, T_VALID, why, sizeof why));
	char kt[700], kk[700];
	snprintf(kt, sizeof kt, "%s/certs/cp.key.trial", dir);
	snprintf(kk, sizeof kk, "%s/certs/cp.key", dir);
	assert_int_equal(rename(kt, kk), 0);
	certs_close(c);
	c = certs_open(dir, err, sizeof err);
	assert_non_null(c);
	snprintf(kt, sizeof kt, "%s/certs/cp.pem.trial", dir);
	assert_int_not_equal(stat(kt, &sb), 0);
	assert_true(certs_client_paths(c, cp, sizeof cp, kp, sizeof kp));
	assert_string_equal(cp, p);
	FILE *pf = fopen(p, "r");
	assert_non_null(pf);
	char first[64] = "", mine_first[64] = "";
	assert_non_null(fgets(first, sizeof first, pf));
	assert_non_null(fgets(first, sizeof first, pf)); /* the first base64 line */
	fclose(pf);
	const char *nl = strchr(mine, '\n');
	assert_non_null(nl);
	snprintf(mine_first, sizeof mine_first, "%s", nl + 1);
	assert_int_equal(strncmp(first, mine_first, 40), 0); /* the new certificate */
	snprintf(p, sizeof p, "%s/certs/cp.key", dir);
	assert_int_equal(stat(p, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	snprintf(p, sizeof p, "%s/certs/cp.pem", dir);
	assert_int_equal(stat(p, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	free(mine);
	certs_close(c);
}

/* clang-format off */
static const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(install_list_delete, setup, teardown),
    cmocka_unit_test_setup_teardown(refused, setup, teardown),
    cmocka_unit_test_setup_teardown(firmware_signature, setup, teardown),
    cmocka_unit_test_setup_teardown(charge_point_certificate, setup, teardown),
};
/* clang-format on */

VCLOCK_MAIN("certs", tests)
