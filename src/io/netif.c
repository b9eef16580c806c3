/* SPDX-License-Identifier: MIT */
/* Network interfaces for the network page (netif.h). */
#define _GNU_SOURCE
#include "netif.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int netif_prefix(const unsigned char *mask, size_t len)
{
	int bits = 0;
	size_t i = 0;
	for (; i < len && mask[i] == 0xff; i++)
		bits += 8;
	if (i == len)
		return bits;
	unsigned char b = mask[i];
	while (b & 0x80) {
		bits++;
		b = (unsigned char)(b << 1);
	}
	if (b != 0)
		return -1;
	for (i++; i < len; i++)
		if (mask[i] != 0)
			return -1;
	return bits;
}

static struct netif *find_or_add(struct netif_list *out, const char *name)
{
	for (int i = 0; i < out->n; i++)
		if (strncmp(out->ifs[i].name, name, NETIF_NAME_MAX - 1) == 0)
			return &out->ifs[i];
	if (out->n == NETIF_MAX) {
		out->left_out++;
		return NULL;
	}
	struct netif *f = &out->ifs[out->n++];
	memset(f, 0, sizeof *f);
	snprintf(f->name, sizeof f->name, "%s", name);
	return f;
}

static void add_addr(struct netif_list *out, struct netif *f, const struct ifaddrs *a)
{
	int fam = a->ifa_addr->sa_family;
	if (f->n_addrs == NETIF_ADDRS_MAX) {
		out->left_out++;
		return;
	}
	struct netif_addr *x = &f->addrs[f->n_addrs];
	x->family = fam;
	x->prefix = -1;
	const void *src, *mask = NULL;
	size_t mlen;
	if (fam == AF_INET) {
		src = &((const struct sockaddr_in *)(const void *)a->ifa_addr)->sin_addr;
		if (a->ifa_netmask)
			mask =
			    &((const struct sockaddr_in *)(const void *)a->ifa_netmask)->sin_addr;
		mlen = 4;
	} else {
		src = &((const struct sockaddr_in6 *)(const void *)a->ifa_addr)->sin6_addr;
		if (a->ifa_netmask)
			mask =
			    &((const struct sockaddr_in6 *)(const void *)a->ifa_netmask)->sin6_addr;
		mlen = 16;
	}
	if (!inet_ntop(fam, src, x->addr, sizeof x->addr))
		return;
	if (mask)
		x->prefix = netif_prefix(mask, mlen);
	f->n_addrs++;
}

static void set_mac(struct netif *f, const struct ifaddrs *a)
{
	const struct sockaddr_ll *ll = (const struct sockaddr_ll *)(const void *)a->ifa_addr;
	if (ll->sll_halen != 6)
		return;
	const unsigned char *m = ll->sll_addr;
	bool zero = !(m[0] | m[1] | m[2] | m[3] | m[4] | m[5]);
	if (zero) /* loopback and tunnels: no hardware address */
		return;
	snprintf(f->mac, sizeof f->mac, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3],
		 m[4], m[5]);
}

void netif_from_ifaddrs(const struct ifaddrs *list, struct netif_list *out)
{
	out->n = 0;
	out->left_out = 0;
	for (const struct ifaddrs *a = list; a; a = a->ifa_next) {
		if (!a->ifa_name)
			continue;
		struct netif *f = find_or_add(out, a->ifa_name);
		if (!f)
			continue;
		f->up = (a->ifa_flags & IFF_UP) != 0;
		f->running = (a->ifa_flags & IFF_RUNNING) != 0;
		f->loopback = (a->ifa_flags & IFF_LOOPBACK) != 0;
		if (!a->ifa_addr)
			continue;
		int fam = a->ifa_addr->sa_family;
		if (fam == AF_INET || fam == AF_INET6)
			add_addr(out, f, a);
		else if (fam == AF_PACKET)
			set_mac(f, a);
	}
}

bool netif_read(struct netif_list *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	if (gethostname(out->hostname, sizeof out->hostname - 1) != 0)
		out->hostname[0] = '\0';
	out->hostname[sizeof out->hostname - 1] = '\0';
	struct ifaddrs *list;
	if (getifaddrs(&list) != 0) {
		snprintf(err, errlen, "getifaddrs: %s", strerror(errno));
		return false;
	}
	netif_from_ifaddrs(list, out);
	freeifaddrs(list);
	return true;
}
