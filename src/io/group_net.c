/* SPDX-License-Identifier: MIT */
/*
 * Group transport: a non-blocking UDP socket adopted by the libwebsockets
 * loop as a raw descriptor; AES-256-GCM (OpenSSL EVP) over every datagram.
 */
#include "group_net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libwebsockets.h>
#include <netdb.h>
#include <netinet/in.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../core/group.h"

#define MAGIC	   "EVG1"
#define NONCE_LEN  12
#define TAG_LEN	   16
#define MAX_DEST   32
#define LOG_GAP_MS 10000 /* one log line per kind of drop per 10 s */

enum drop { DROP_OTHER_GROUP, DROP_BAD_AUTH, DROP_REPLAYED, DROP_MALFORMED, DROP_KINDS };

struct group_net {
	struct group_net_key key;
	int fd;
	struct lws_vhost *vh;
	struct lws *wsi;
	struct sockaddr_in dest[MAX_DEST];
	int ndest;
	uint64_t boot, ctr;
	struct group_replay replay;
	int64_t replay_tick;
	group_net_rx rx;
	group_net_log log;
	void *user;
	struct group_net_stats st;
	int64_t logged_at[DROP_KINDS];
	unsigned long unlogged[DROP_KINDS];
};

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- crypto ------------------------------------------------------------- */

bool group_net_derive(const char *group_id, const char *key, struct group_net_key *out)
{
	memset(out, 0, sizeof *out);
	size_t glen = strlen(group_id);
	if (glen == 0 || glen >= sizeof out->gid || key[0] == '\0')
		return false;
	memcpy(out->gid, group_id, glen + 1);
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	EVP_KDF_CTX *kc = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	EVP_KDF_free(kdf);
	if (!kc)
		return false;
	char info[] = "evsed group v1", digest[] = "SHA256";
	/* OSSL_PARAM takes non-const pointers: a copy of the secret, wiped. */
	char secret[256];
	size_t klen = strlen(key);
	if (klen >= sizeof secret) {
		EVP_KDF_CTX_free(kc);
		return false;
	}
	memcpy(secret, key, klen + 1);
	OSSL_PARAM params[] = {
	    OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
	    OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, secret, klen),
	    OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, out->gid, glen),
	    OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info, sizeof info - 1),
	    OSSL_PARAM_construct_end(),
	};
	bool ok = EVP_KDF_derive(kc, out->k, sizeof out->k, params) == 1;
	OPENSSL_cleanse(secret, sizeof secret);
	EVP_KDF_CTX_free(kc);
	return ok;
}

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		p[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
}

static uint64_t get64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

size_t group_net_seal(const struct group_net_key *k, uint64_t boot, uint64_t ctr, const char *text,
		      size_t len, unsigned char *out)
{
	size_t glen = strlen(k->gid);
	size_t hlen = 4 + 1 + glen + 8 + 8 + NONCE_LEN;
	if (len > GROUP_NET_PLAIN_MAX || hlen + len + TAG_LEN > GROUP_NET_DGRAM_MAX)
		return 0;
	memcpy(out, MAGIC, 4);
	out[4] = (unsigned char)glen;
	memcpy(out + 5, k->gid, glen);
	put64(out + 5 + glen, boot);
	put64(out + 13 + glen, ctr);
	unsigned char *nonce = out + 21 + glen;
	if (RAND_bytes(nonce, NONCE_LEN) != 1)
		return 0;
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n = 0, f = 0;
	bool ok =
	    c && EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), NULL, NULL, NULL) == 1 &&
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, NONCE_LEN, NULL) == 1 &&
	    EVP_EncryptInit_ex(c, NULL, NULL, k->k, nonce) == 1 &&
	    EVP_EncryptUpdate(c, NULL, &n, out, (int)hlen) == 1 &&
	    EVP_EncryptUpdate(c, out + hlen, &n, (const unsigned char *)text, (int)len) == 1 &&
	    EVP_EncryptFinal_ex(c, out + hlen + n, &f) == 1 &&
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, TAG_LEN, out + hlen + n + f) == 1;
	EVP_CIPHER_CTX_free(c);
	return ok ? hlen + (size_t)(n + f) + TAG_LEN : 0;
}

bool group_net_open(const struct group_net_key *k, const unsigned char *d, size_t len,
		    uint64_t *boot, uint64_t *ctr, char *text, size_t *tlen, const char **what)
{
	*what = "malformed";
	if (len < 5 || memcmp(d, MAGIC, 4) != 0)
		return false;
	size_t glen = d[4];
	size_t hlen = 4 + 1 + glen + 8 + 8 + NONCE_LEN;
	if (glen == 0 || glen > GROUP_ID_MAX || len < hlen + TAG_LEN ||
	    len - hlen - TAG_LEN > GROUP_NET_PLAIN_MAX)
		return false;
	if (glen != strlen(k->gid) || memcmp(d + 5, k->gid, glen) != 0) {
		*what = "other group";
		return false;
	}
	*boot = get64(d + 5 + glen);
	*ctr = get64(d + 13 + glen);
	const unsigned char *nonce = d + 21 + glen;
	size_t clen = len - hlen - TAG_LEN;
	unsigned char tag[TAG_LEN];
	memcpy(tag, d + hlen + clen, TAG_LEN);
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n = 0, f = 0;
	bool ok = c && EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), NULL, NULL, NULL) == 1 &&
		  EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, NONCE_LEN, NULL) == 1 &&
		  EVP_DecryptInit_ex(c, NULL, NULL, k->k, nonce) == 1 &&
		  EVP_DecryptUpdate(c, NULL, &n, d, (int)hlen) == 1 &&
		  EVP_DecryptUpdate(c, (unsigned char *)text, &n, d + hlen, (int)clen) == 1 &&
		  EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, TAG_LEN, tag) == 1 &&
		  EVP_DecryptFinal_ex(c, (unsigned char *)text + n, &f) == 1;
	EVP_CIPHER_CTX_free(c);
	if (!ok) {
		*what = "bad auth";
		return false;
	}
	*tlen = (size_t)(n + f);
	return true;
}

/* ---- socket ------------------------------------------------------------- */

static void drop(struct group_net *gn, enum drop kind, const struct sockaddr_in *from,
		 const char *why)
{
	unsigned long *count[] = {&gn->st.other_group, &gn->st.bad_auth, &gn->st.replayed,
				  &gn->st.malformed};
	(*count[kind])++;
	int64_t now = mono_ms();
	if (gn->logged_at[kind] && now - gn->logged_at[kind] < LOG_GAP_MS) {
		gn->unlogged[kind]++;
		return;
	}
	char addr[INET_ADDRSTRLEN] = "?";
	inet_ntop(AF_INET, &from->sin_addr, addr, sizeof addr);
	char msg[300];
	snprintf(msg, sizeof msg, "group: datagram from %s:%d dropped: %s (%lu more not logged)",
		 addr, ntohs(from->sin_port), why, gn->unlogged[kind]);
	gn->unlogged[kind] = 0;
	gn->logged_at[kind] = now;
	if (gn->log)
		gn->log(gn->user, msg);
}

static void on_readable(struct group_net *gn)
{
	unsigned char buf[GROUP_NET_DGRAM_MAX + 1];
	char text[GROUP_NET_PLAIN_MAX + 1];
	for (int i = 0; i < 64; i++) {
		struct sockaddr_in from;
		socklen_t flen = sizeof from;
		memset(&from, 0, sizeof from);
		ssize_t n =
		    recvfrom(gn->fd, buf, sizeof buf, MSG_TRUNC, (struct sockaddr *)&from, &flen);
		if (n < 0)
			return; /* EAGAIN: drained */
		if ((size_t)n > GROUP_NET_DGRAM_MAX) {
			drop(gn, DROP_MALFORMED, &from, "larger than the size cap");
			continue;
		}
		uint64_t boot, ctr;
		size_t tlen;
		const char *what;
		if (!group_net_open(&gn->key, buf, (size_t)n, &boot, &ctr, text, &tlen, &what)) {
			if (strcmp(what, "other group") == 0)
				drop(gn, DROP_OTHER_GROUP, &from, "another group id");
			else if (strcmp(what, "bad auth") == 0)
				drop(gn, DROP_BAD_AUTH, &from,
				     "not authenticated (wrong group key or tampered)");
			else
				drop(gn, DROP_MALFORMED, &from, "not a group datagram");
			continue;
		}
		if (boot == gn->boot)
			continue; /* our own, looped back by multicast */
		if (!group_replay_accept(&gn->replay, boot, ctr, ++gn->replay_tick)) {
			drop(gn, DROP_REPLAYED, &from, "replayed (counter already seen)");
			continue;
		}
		gn->st.received++;
		text[tlen] = '\0';
		gn->rx(gn->user, text, tlen);
	}
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		    size_t len)
{
	(void)user;
	(void)in;
	(void)len;
	struct lws_vhost *vh = lws_get_vhost(wsi);
	struct group_net *gn = vh ? lws_get_vhost_user(vh) : NULL;
	switch (reason) {
	case LWS_CALLBACK_RAW_RX_FILE:
		if (gn && gn->wsi == wsi)
			on_readable(gn);
		break;
	case LWS_CALLBACK_RAW_CLOSE_FILE:
		if (gn && gn->wsi == wsi)
			gn->wsi = NULL;
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols group_protocols[] = {
    {"evsed-group", callback, 0, 0, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

static bool add_dest(struct group_net *gn, const char *host, int port, char *err, size_t errlen)
{
	if (gn->ndest >= MAX_DEST) {
		snprintf(err, errlen, "group.peers: at most %d peers", MAX_DEST);
		return false;
	}
	struct addrinfo hints, *res = NULL;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_DGRAM;
	int e = getaddrinfo(host, NULL, &hints, &res);
	if (e != 0 || !res) {
		snprintf(err, errlen, "group.peers: %s: %s", host, gai_strerror(e));
		return false;
	}
	struct sockaddr_in *sa = &gn->dest[gn->ndest++];
	memcpy(sa, res->ai_addr, sizeof *sa);
	sa->sin_port = htons((uint16_t)port);
	freeaddrinfo(res);
	return true;
}

static bool parse_peers(struct group_net *gn, const char *peers, char *err, size_t errlen)
{
	for (const char *p = peers; *p;) {
		size_t len = strcspn(p, ",");
		char item[80];
		if (len == 0 || len >= sizeof item) {
			snprintf(err, errlen, "group.peers: bad item");
			return false;
		}
		memcpy(item, p, len);
		item[len] = '\0';
		char *colon = strrchr(item, ':');
		if (!colon) {
			snprintf(err, errlen, "group.peers: %s: must be host:port", item);
			return false;
		}
		*colon = '\0';
		if (!add_dest(gn, item, (int)strtol(colon + 1, NULL, 10), err, errlen))
			return false;
		p += len;
		if (*p == ',')
			p++;
	}
	return true;
}

struct group_net *group_net_new(struct lws_context *ctx, const struct group_net_cfg *c,
				group_net_rx rx, group_net_log log, void *user, char *err,
				size_t errlen)
{
	struct group_net *gn = calloc(1, sizeof *gn);
	if (!gn) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	gn->fd = -1;
	gn->rx = rx;
	gn->log = log;
	gn->user = user;
	if (!group_net_derive(c->group_id, c->key, &gn->key) ||
	    RAND_bytes((unsigned char *)&gn->boot, sizeof gn->boot) != 1) {
		snprintf(err, errlen, "group: cannot derive the group key");
		group_net_free(gn);
		return NULL;
	}
	bool mcast = c->peers[0] == '\0';
	if (mcast ? !add_dest(gn, GROUP_NET_MCAST, c->port, err, errlen)
		  : !parse_peers(gn, c->peers, err, errlen)) {
		group_net_free(gn);
		return NULL;
	}
	gn->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int one = 1;
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_ANY);
	sa.sin_port = htons((uint16_t)c->port);
	if (gn->fd < 0 || setsockopt(gn->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    bind(gn->fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		snprintf(err, errlen, "group.port: cannot bind UDP port %d: %s", c->port,
			 strerror(errno));
		group_net_free(gn);
		return NULL;
	}
	if (mcast) {
		struct ip_mreq mr;
		memset(&mr, 0, sizeof mr);
		inet_pton(AF_INET, GROUP_NET_MCAST, &mr.imr_multiaddr);
		mr.imr_interface.s_addr = htonl(INADDR_ANY);
		unsigned char loop = 1;
		if (setsockopt(gn->fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof mr) != 0 ||
		    setsockopt(gn->fd, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof loop) != 0) {
			snprintf(err, errlen,
				 "group: cannot join multicast group %s (set group.peers): %s",
				 GROUP_NET_MCAST, strerror(errno));
			group_net_free(gn);
			return NULL;
		}
	}
	struct lws_context_creation_info info;
	memset(&info, 0, sizeof info);
	info.vhost_name = "group";
	info.port = CONTEXT_PORT_NO_LISTEN_SERVER;
	info.protocols = group_protocols;
	info.user = gn;
	gn->vh = lws_create_vhost(ctx, &info);
	lws_sock_file_fd_type fd;
	fd.filefd = gn->fd;
	gn->wsi = gn->vh ? lws_adopt_descriptor_vhost(gn->vh, LWS_ADOPT_RAW_FILE_DESC, fd,
						      "evsed-group", NULL)
			 : NULL;
	if (!gn->wsi) {
		snprintf(err, errlen, "group: cannot add the UDP socket to the event loop");
		group_net_free(gn);
		return NULL;
	}
	return gn;
}

bool group_net_send(struct group_net *gn, const char *text, size_t len)
{
	unsigned char d[GROUP_NET_DGRAM_MAX];
	size_t n = group_net_seal(&gn->key, gn->boot, ++gn->ctr, text, len, d);
	if (n == 0)
		return false;
	bool ok = true;
	for (int i = 0; i < gn->ndest; i++)
		if (sendto(gn->fd, d, n, 0, (const struct sockaddr *)&gn->dest[i],
			   sizeof gn->dest[i]) != (ssize_t)n)
			ok = false; /* a peer not up yet: it will hear the next one */
	gn->st.sent++;
	return ok;
}

void group_net_stats(const struct group_net *gn, struct group_net_stats *out)
{
	*out = gn->st;
}

void group_net_free(struct group_net *gn)
{
	if (!gn)
		return;
	if (gn->wsi) {
		struct lws *w = gn->wsi;
		gn->wsi = NULL;
		lws_set_timeout(w, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_SYNC);
	} else if (gn->fd >= 0) {
		close(gn->fd);
	}
	OPENSSL_cleanse(&gn->key, sizeof gn->key);
	free(gn);
}
