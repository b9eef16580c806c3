/* SPDX-License-Identifier: MIT */
/*
 * EVPLUS upgrade result codes and the typed checksum (fw_upgrade.h).
 */
#include "fw_upgrade.h"

#include <stddef.h>
#include <string.h>

static const struct {
	const char *display, *text;
} codes[] = {
    [FWUP_OK] = {"100 UP", "Upgrade successful: the charger restarts"},
    [FWUP_E01_FAILED] = {"E01 UP", "Upgrade failed: the firmware could not be written"},
    [FWUP_E02_CHECKSUM] = {"E02 UP", "Checksum error: the checksum does not match the file"},
    [FWUP_E03_TIMEOUT] = {"E03 UP", "Upgrade timeout: no valid data received within 15 s"},
    [FWUP_E04_MISMATCH] = {"E04 UP", "File mismatch: the file is not a firmware of this charger"},
};

const char *fwup_display(enum fwup_code c)
{
	return (unsigned)c < sizeof codes / sizeof codes[0] ? codes[c].display : "E01 UP";
}

const char *fwup_text(enum fwup_code c)
{
	return (unsigned)c < sizeof codes / sizeof codes[0] ? codes[c].text : codes[1].text;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t fwup_parse_checksum(const char *text, uint8_t out[FWUP_DIGEST_MAX])
{
	if (!text)
		return 0;
	while (*text == ' ' || *text == '\t')
		text++;
	size_t n = strlen(text);
	while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t' || text[n - 1] == '\n' ||
			 text[n - 1] == '\r'))
		n--;
	if (n != 32 && n != 64)
		return 0;
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hexval(text[2 * i]), lo = hexval(text[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return 0;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return n / 2;
}

bool fwup_parse_md5(const char *text, uint8_t out[16])
{
	uint8_t d[FWUP_DIGEST_MAX];
	if (fwup_parse_checksum(text, d) != 16)
		return false;
	memcpy(out, d, 16);
	return true;
}
