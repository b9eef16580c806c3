/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the network interface list (netif.c): netmask to prefix
 * length, an interface list as getifaddrs gives it (one interface per name,
 * flags, MAC from the packet entry, IPv4 and IPv6 with prefixes, loopback
 * without a MAC), the caps on interfaces and addresses (counted, never
 * overrun), and the real list of this machine (its loopback).
 */
#include "vclock.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "io/netif.h"

struct prefix_row {
	unsigned char mask[16];
	size_t len;
	int prefix;
};

static void prefix_rows(void **state)
{
	(void)state;
	static const struct prefix_row rows[] = {
	    {{255, 255, 255, 0}, 4, 24},
	    {{255, 0, 0, 0}, 4, 8},
	    {{255, 255, 255, 255}, 4, 32},
	    {{0, 0, 0, 0}, 4, 0},
	    {{255, 255, 240, 0}, 4, 20},
	    {{255, 0, 255, 0}, 4, -1},
	    {{255, 255, 255, 1}, 4, -1},
	    {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, 16, 64},
	    {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	      0xff, 0xff},
	     16,
	     128},
	    {{0xff, 0xfe}, 16, 15},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		if (netif_prefix(rows[i].mask, rows[i].len) != rows[i].prefix)
			fail_msg("row %zu: %d, expected %d", i,
				 netif_prefix(rows[i].mask, rows[i].len), rows[i].prefix);
}

/* A hand-built getifaddrs list. */
struct fake {
	struct ifaddrs ifa[64];
	struct sockaddr_in in[64], inmask[64];
	struct sockaddr_in6 in6[64], in6mask[64];
	struct sockaddr_ll ll[64];
	char names[64][NETIF_NAME_MAX];
	int n;
};

static struct ifaddrs *entry(struct fake *f, const char *name, unsigned flags)
{
	struct ifaddrs *a = &f->ifa[f->n];
	memset(a, 0, sizeof *a);
	snprintf(f->names[f->n], sizeof f->names[f->n], "%s", name);
	a->ifa_name = f->names[f->n];
	a->ifa_flags = flags;
	if (f->n > 0)
		f->ifa[f->n - 1].ifa_next = a;
	f->n++;
	return a;
}

static void v4(struct fake *f, const char *name, unsigned flags, const char *addr, const char *mask)
{
	int i = f->n;
	struct ifaddrs *a = entry(f, name, flags);
	f->in[i] = (struct sockaddr_in){.sin_family = AF_INET};
	f->inmask[i] = (struct sockaddr_in){.sin_family = AF_INET};
	assert_int_equal(inet_pton(AF_INET, addr, &f->in[i].sin_addr), 1);
	assert_int_equal(inet_pton(AF_INET, mask, &f->inmask[i].sin_addr), 1);
	a->ifa_addr = (struct sockaddr *)&f->in[i];
	a->ifa_netmask = (struct sockaddr *)&f->inmask[i];
}

static void v6(struct fake *f, const char *name, unsigned flags, const char *addr, const char *mask)
{
	int i = f->n;
	struct ifaddrs *a = entry(f, name, flags);
	f->in6[i] = (struct sockaddr_in6){.sin6_family = AF_INET6};
	f->in6mask[i] = (struct sockaddr_in6){.sin6_family = AF_INET6};
	assert_int_equal(inet_pton(AF_INET6, addr, &f->in6[i].sin6_addr), 1);
	assert_int_equal(inet_pton(AF_INET6, mask, &f->in6mask[i].sin6_addr), 1);
	a->ifa_addr = (struct sockaddr *)&f->in6[i];
	a->ifa_netmask = (struct sockaddr *)&f->in6mask[i];
}

static void packet(struct fake *f, const char *name, unsigned flags, const unsigned char mac[6])
{
	int i = f->n;
	struct ifaddrs *a = entry(f, name, flags);
	f->ll[i] = (struct sockaddr_ll){.sll_family = AF_PACKET, .sll_halen = 6};
	memcpy(f->ll[i].sll_addr, mac, 6);
	a->ifa_addr = (struct sockaddr *)&f->ll[i];
}

static struct fake fk;
static struct netif_list out;

static void list_of_interfaces(void **state)
{
	(void)state;
	memset(&fk, 0, sizeof fk);
	static const unsigned char zero[6] = {0};
	static const unsigned char mac[6] = {0x02, 0x42, 0xac, 0x11, 0x00, 0x0a};
	unsigned up = IFF_UP | IFF_RUNNING;
	packet(&fk, "lo", up | IFF_LOOPBACK, zero);
	packet(&fk, "eth0", up, mac);
	packet(&fk, "wlan0", IFF_UP, mac);
	v4(&fk, "lo", up | IFF_LOOPBACK, "127.0.0.1", "255.0.0.0");
	v4(&fk, "eth0", up, "192.168.1.20", "255.255.255.0");
	v6(&fk, "lo", up | IFF_LOOPBACK, "::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
	v6(&fk, "eth0", up, "fe80::42:acff:fe11:a", "ffff:ffff:ffff:ffff::");
	entry(&fk, "tun0", 0); /* no address at all */
	snprintf(out.hostname, sizeof out.hostname, "charger-1");
	netif_from_ifaddrs(&fk.ifa[0], &out);

	assert_string_equal(out.hostname, "charger-1");
	assert_int_equal(out.n, 4);
	assert_int_equal(out.left_out, 0);
	const struct netif *lo = &out.ifs[0], *eth = &out.ifs[1], *wl = &out.ifs[2],
			   *tun = &out.ifs[3];
	assert_string_equal(lo->name, "lo");
	assert_true(lo->up && lo->running && lo->loopback);
	assert_string_equal(lo->mac, "");
	assert_int_equal(lo->n_addrs, 2);
	assert_string_equal(lo->addrs[0].addr, "127.0.0.1");
	assert_int_equal(lo->addrs[0].prefix, 8);
	assert_int_equal(lo->addrs[1].family, AF_INET6);
	assert_string_equal(lo->addrs[1].addr, "::1");
	assert_int_equal(lo->addrs[1].prefix, 128);
	assert_string_equal(eth->name, "eth0");
	assert_true(eth->up && eth->running && !eth->loopback);
	assert_string_equal(eth->mac, "02:42:ac:11:00:0a");
	assert_int_equal(eth->n_addrs, 2);
	assert_string_equal(eth->addrs[0].addr, "192.168.1.20");
	assert_int_equal(eth->addrs[0].prefix, 24);
	assert_string_equal(eth->addrs[1].addr, "fe80::42:acff:fe11:a");
	assert_int_equal(eth->addrs[1].prefix, 64);
	assert_string_equal(wl->name, "wlan0");
	assert_true(wl->up && !wl->running);
	assert_int_equal(wl->n_addrs, 0);
	assert_string_equal(tun->name, "tun0");
	assert_false(tun->up);
	assert_int_equal(tun->n_addrs, 0);
}

static void caps_are_counted(void **state)
{
	(void)state;
	memset(&fk, 0, sizeof fk);
	static char names[NETIF_MAX + 8][8];
	for (int i = 0; i < NETIF_MAX + 8; i++) {
		snprintf(names[i], sizeof names[i], "if%d", i);
		entry(&fk, names[i], IFF_UP);
	}
	for (int i = 0; i < NETIF_ADDRS_MAX + 3; i++) {
		char a[16];
		snprintf(a, sizeof a, "10.0.0.%d", i + 1);
		v4(&fk, "if0", IFF_UP, a, "255.255.255.0");
	}
	netif_from_ifaddrs(&fk.ifa[0], &out);
	assert_int_equal(out.n, NETIF_MAX);
	assert_int_equal(out.ifs[0].n_addrs, NETIF_ADDRS_MAX);
	assert_string_equal(out.ifs[0].addrs[NETIF_ADDRS_MAX - 1].addr, "10.0.0.8");
	assert_int_equal(out.left_out, 8 + 3);
	assert_string_equal(out.ifs[NETIF_MAX - 1].name, "if31");
}

static void reads_this_machine(void **state)
{
	(void)state;
	char err[128];
	assert_true(netif_read(&out, err, sizeof err));
	const struct netif *lo = NULL;
	for (int i = 0; i < out.n; i++)
		if (out.ifs[i].loopback)
			lo = &out.ifs[i];
	assert_non_null(lo);
	assert_true(lo->up);
	bool v4lo = false;
	for (int i = 0; i < lo->n_addrs; i++)
		v4lo |= strcmp(lo->addrs[i].addr, "127.0.0.1") == 0 && lo->addrs[i].prefix == 8;
	assert_true(v4lo);
	assert_true(out.hostname[0] != '\0');
}

/* One per line: CTest registers each case from its line. */
/* clang-format off */
static const struct CMUnitTest tests[] = {
    cmocka_unit_test(prefix_rows),
    cmocka_unit_test(list_of_interfaces),
    cmocka_unit_test(caps_are_counted),
    cmocka_unit_test(reads_this_machine),
};
/* clang-format on */

VCLOCK_MAIN("netif", tests)
