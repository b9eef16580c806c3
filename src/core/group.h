/* SPDX-License-Identifier: MIT */
/*
 * The group protocol (E4 E5 E6), pure: the member table, the election, the
 * master's offers (computed with lm_allocate), their validity and the
 * fallback, member loss, identify and rebuild, and the messages (JSON text,
 * size-capped, every field range-checked). No I/O and no clock: time (ms, the
 * caller's monotonic clock) is passed in. The transport (src/io/group_net.c)
 * encrypts and authenticates the text; the replay window lives here too.
 *
 * Every charger (node) announces its state every group.announce: its mode and
 * per connector the phases it loads, its maximum, whether its EV wants power,
 * for how long, and what it draws. The master (forced, else the lowest id
 * among the reachable auto nodes) answers with one offer message for the
 * whole group (every connector's current, the validity, the fallback). A node
 * that holds no valid offer uses the fallback current per connector. A node
 * not heard for group.member_timeout is offline, and the offline strategy
 * applies; group.size counts absent nodes as offline.
 */
#ifndef EVSED_GROUP_H
#define EVSED_GROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lm_alloc.h"

#define GROUP_MAX_NODES	  32
#define GROUP_MAX_CONNS	  4
#define GROUP_ID_MAX	  32   /* node ids (charger.serial) and group ids */
#define GROUP_MSG_MAX	  4096 /* one message's plaintext, bytes */
#define GROUP_KEY_MIN	  16   /* group.key, characters */
#define GROUP_IDENTIFY_MS 10000
#define GROUP_NO_LIMIT_A  10000.0 /* group.limit = 0 */

/* In the order of the group.mode setting's values. */
enum group_mode { GM_OFF, GM_AUTO, GM_MASTER, GM_MEMBER };
enum group_balancing { GB_STATIC, GB_DYNAMIC };

struct group_cfg {
	enum group_mode mode;
	char group_id[GROUP_ID_MAX + 1];
	char self_id[GROUP_ID_MAX + 1];
	double limit_a; /* 0 = none */
	enum group_balancing balancing;
	enum lm_policy policy;
	int size; /* expected nodes, 0 = as discovered */
	double fallback_a;
	enum lm_offline offline;
	double offline_reserved_a;
	int64_t announce_ms, validity_ms, timeout_ms;
	int64_t rotate_ms; /* below the minimum, who waits rotates after this; 0 = never */
};

/* One connector of a node, as it announced it. */
struct group_conn {
	int id;		  /* 1-based on its charger */
	unsigned phases;  /* 1 = L1, 2 = L2, 4 = L3 */
	double max_a;	  /* its own limits (hardware, installer, cable, policies) */
	bool wants;	  /* an EV asks for power */
	int64_t arrival;  /* since when (the holder's clock) */
	double used_a[3]; /* what it draws per phase */
	double offered_a; /* the master's last offer for it, -1 = none */
};

struct group_node {
	char id[GROUP_ID_MAX + 1];
	enum group_mode mode;
	int nconn;
	struct group_conn c[GROUP_MAX_CONNS];
	int64_t last_heard;
	bool online;
	bool self;
};

struct group {
	struct group_cfg cfg;
	int count;
	struct group_node n[GROUP_MAX_NODES]; /* n[0] is this charger */
	char master[GROUP_ID_MAX + 1];	      /* "" = none */
	/* This charger's offer per connector (from the master, or its own when
	 * it is the master), valid until offer_until. */
	double offer_a[GROUP_MAX_CONNS];
	int64_t offer_until; /* INT64_MIN = none yet */
	double fallback_a;   /* the master's, else ours */
	uint32_t seq;
	int64_t next_announce;
	bool dirty;	/* our state changed: announce now */
	bool offer_due; /* as master: offer now */
	int64_t identify_until;
	int full_drops; /* nodes refused: the table was full */
	/* As master: who waits, per node and connector (lm_turns). */
	struct lm_turn turn[GROUP_MAX_NODES][GROUP_MAX_CONNS];
};

/* Check the settings together (mode on needs an id, a key, ...). key_len is
 * group.key's length (the key itself is not needed). On failure err holds
 * "<key>: <reason>". */
bool group_cfg_check(const struct group_cfg *c, size_t key_len, bool site_meter, char *err,
		     size_t errlen);

void group_init(struct group *g, const struct group_cfg *c, int64_t now);
/* New settings that may change at run time (limit, policy, timing...). */
void group_reconfigure(struct group *g, const struct group_cfg *c, int64_t now);

/* This charger's connectors now. wants turning true starts its arrival: at
 * c[i].arrival when given (the EV's plug-in time, not later than now), else now. */
void group_set_self(struct group *g, int64_t now, const struct group_conn *c, int n);

/* The other loads per phase for dynamic balancing, from the site meter's
 * reading site_a: this charger's own draw is taken off, and with the meter
 * at the group's supply (group_supply) what every online member says it
 * draws too; an offline member's draw stays in (on top of its reserve). */
void group_other_loads(const struct group *g, const double site_a[3], bool group_supply,
		       double other[3]);

/* Messages to send after a tick or a receive. */
struct group_out {
	int n;
	char text[3][GROUP_MSG_MAX];
	size_t len[3];
};

/* Run the protocol at now: timeouts, election, and the messages due (state,
 * and the offers when this charger is the master). other_a: the other loads
 * on the site meter per phase (dynamic balancing; NULL = no reading). */
void group_tick(struct group *g, int64_t now, const double *other_a, struct group_out *out);

enum group_rx {
	GROUP_RX_OK,
	GROUP_RX_IDENTIFY,    /* flash the LEDs (g->identify_until is set) */
	GROUP_RX_SELF,	      /* our own message (multicast loop): ignored */
	GROUP_RX_MALFORMED,   /* not a valid message */
	GROUP_RX_OTHER_GROUP, /* another group id */
	GROUP_RX_FULL,	      /* a new node, but the table is full */
};

/* A decrypted message received at now. why tells what was wrong. */
enum group_rx group_receive(struct group *g, int64_t now, const char *text, size_t len, char *why,
			    size_t whylen);

/* What this charger's connector i (0-based) may draw now: the valid offer,
 * else its part of the fallback (the charger's as a whole). -1 with the
 * group off. */
double group_conn_limit(const struct group *g, int64_t now, int i);
/* This charger holds a valid offer now. */
bool group_offer_valid(const struct group *g, int64_t now);
/* Is this charger the master? */
bool group_is_master(const struct group *g);
/* When group_tick has work next. */
int64_t group_next_deadline(const struct group *g, int64_t now);

/* Identify: flash this charger (all false) or every one (all true: an
 * identify message to send is put in out). */
void group_identify(struct group *g, int64_t now, bool all, struct group_out *out);
/* Rebuild: forget every other node and rediscover them. */
void group_rebuild(struct group *g, int64_t now);

/* The allocation the master would make now (offers for every node's
 * connectors into their offered_a). Exposed for tests. The rules that keep
 * the group within its limit (tests/unit/test_lm_sim.c):
 *  - a node not heard in the last 1.5 announce periods gets no new offer,
 *    and its last offers (or the fallback, if larger) stay reserved until
 *    it is offline (group.member_timeout, which is at least
 *    group.offer_validity: by then it uses its fallback);
 *  - an offline node is reserved offline_reserved (at least the fallback
 *    with offline_offline), and a node without a valid offer shares its
 *    fallback among its connectors (group_conn_limit): one charger, one
 *    fallback, as the io7 assumes;
 *  - dynamic balancing without a site reading (other_a NULL): every
 *    connector at most the minimum current, never the whole limit;
 *  - below the minimum for everyone, who waits rotates (cfg.rotate_ms). */
void group_allocate(struct group *g, int64_t now, const double *other_a);

const char *group_mode_name(enum group_mode m);

/* Replay protection per sender boot: a random boot id and a counter that
 * only grows; a window of the last 64 counters accepts reordering. */
#define GROUP_REPLAY_SENDERS 64
struct group_replay_sender {
	uint64_t boot;
	uint64_t top;	 /* highest counter seen */
	uint64_t window; /* bit i: top - i seen */
	int64_t used;	 /* last accepted (LRU) */
	bool in_use;
};
struct group_replay {
	struct group_replay_sender s[GROUP_REPLAY_SENDERS];
};
/* Accept (and remember) counter ctr of boot, or refuse a replay / an
 * out-of-window counter. */
bool group_replay_accept(struct group_replay *r, uint64_t boot, uint64_t ctr, int64_t now);

#endif
