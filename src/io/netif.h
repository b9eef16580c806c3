/* SPDX-License-Identifier: MIT */
/*
 * The charger's network interfaces as the network page shows them (G3):
 * name, up / running, loopback, MAC address, IPv4 / IPv6 addresses with
 * their prefix lengths, read with getifaddrs(3), and the host name. Fixed
 * size: at most NETIF_MAX interfaces of NETIF_ADDRS_MAX addresses each; more
 * are counted as left out, never written past the arrays. Read-only: it
 * configures nothing (Ethernet, Wi-Fi and 4G set-up are feature H1).
 */
#ifndef EVSED_NETIF_H
#define EVSED_NETIF_H

#include <stdbool.h>
#include <stddef.h>

struct ifaddrs;

#define NETIF_MAX	32
#define NETIF_ADDRS_MAX 8
#define NETIF_NAME_MAX	16 /* IFNAMSIZ */

struct netif_addr {
	int family;    /* AF_INET or AF_INET6 */
	char addr[46]; /* INET6_ADDRSTRLEN */
	int prefix;    /* prefix length from the netmask; -1 if none */
};

struct netif {
	char name[NETIF_NAME_MAX];
	bool up, running, loopback;
	char mac[18]; /* "aa:bb:cc:dd:ee:ff", "" if none */
	int n_addrs;
	struct netif_addr addrs[NETIF_ADDRS_MAX];
};

struct netif_list {
	int n;
	struct netif ifs[NETIF_MAX];
	int left_out; /* interfaces and addresses past the caps */
	char hostname[65];
};

/* Fill out from an interface list as getifaddrs(3) gives it (in its order,
 * an interface once however many entries name it); out->hostname is left
 * as it is. Pure: tests build the list by hand. */
void netif_from_ifaddrs(const struct ifaddrs *list, struct netif_list *out);

/* Read the interfaces (getifaddrs) and the host name (gethostname) now.
 * false with err if getifaddrs fails (out is then empty). */
bool netif_read(struct netif_list *out, char *err, size_t errlen)
    __attribute__((warn_unused_result));

/* The prefix length of a netmask of len bytes: the count of its leading one
 * bits, -1 if the mask is not contiguous. */
int netif_prefix(const unsigned char *mask, size_t len);

#endif
