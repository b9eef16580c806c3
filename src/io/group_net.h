/* SPDX-License-Identifier: MIT */
/*
 * The group protocol's transport (E4 E5 E6): UDP on the daemon's
 * libwebsockets loop, to the configured peers (unicast) or to the multicast
 * group 239.255.78.78 on group.port. Every datagram is encrypted and
 * authenticated with AES-256-GCM under a key derived from group.key
 * (HKDF-SHA256, salt group.id); the header (magic, group id, sender boot id,
 * counter, nonce) is authenticated too. A random 96-bit nonce per datagram;
 * a sender's boot id and counter give replay protection (a window of 64).
 * Datagrams of another group, with a wrong key (or tampered), replayed,
 * too big or malformed are dropped, counted and logged (rate-limited; never
 * the key).
 *
 * Datagram: "EVG1" | group id length (1 byte, 1-32) | group id | boot id (8)
 * | counter (8, big-endian) | nonce (12) | ciphertext | tag (16).
 */
#ifndef EVSED_GROUP_NET_H
#define EVSED_GROUP_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GROUP_NET_MCAST	    "239.255.78.78"
#define GROUP_NET_DGRAM_MAX 4400 /* bigger datagrams are dropped */
#define GROUP_NET_PLAIN_MAX 4096

struct lws_context;
struct group_net;

struct group_net_cfg {
	const char *group_id;
	const char *key; /* used for the derivation only, never kept or logged */
	int port;
	const char *peers; /* "host:port,..." or "" for multicast */
};

struct group_net_stats {
	unsigned long sent, received, other_group, bad_auth, replayed, malformed;
};

/* The decrypted text of an accepted datagram. */
typedef void (*group_net_rx)(void *user, const char *text, size_t len);
typedef void (*group_net_log)(void *user, const char *msg);

/* Bind the port and join the loop of ctx (created with
 * LWS_SERVER_OPTION_EXPLICIT_VHOSTS). NULL with err on failure. */
struct group_net *group_net_new(struct lws_context *ctx, const struct group_net_cfg *c,
				group_net_rx rx, group_net_log log, void *user, char *err,
				size_t errlen);
/* Encrypt and send text to every destination; false if it could not. */
bool group_net_send(struct group_net *n, const char *text, size_t len);
void group_net_stats(const struct group_net *n, struct group_net_stats *out);
void group_net_free(struct group_net *n);

/* Pure helpers, exposed for the tests: seal text into out (at most
 * GROUP_NET_DGRAM_MAX) with the derived key; open a datagram (false with
 * what = "other group" / "bad auth" / "malformed"). */
struct group_net_key {
	unsigned char k[32];
	char gid[33];
};
bool group_net_derive(const char *group_id, const char *key, struct group_net_key *out);
size_t group_net_seal(const struct group_net_key *k, uint64_t boot, uint64_t ctr, const char *text,
		      size_t len, unsigned char *out);
bool group_net_open(const struct group_net_key *k, const unsigned char *d, size_t len,
		    uint64_t *boot, uint64_t *ctr, char *text, size_t *tlen, const char **what);

#endif
