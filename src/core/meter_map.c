/* SPDX-License-Identifier: MIT */
/*
 * The register maps of the supported site meters, from the manufacturers'
 * Modbus documents (addresses 0-based, as on the wire), and the engine that
 * plans, decodes and encodes them. See meter_map.h.
 */
#include "meter_map.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROW(q, ph, f, a, t, w, s)                                                                  \
	{                                                                                          \
		q, ph, f, a, t, w, MB_BIG, s                                                       \
	}
#define HI MW_HIGH_FIRST
#define LO MW_LOW_FIRST

/* Eastron SDM630: input registers, IEEE floats, high word first. */
static const struct mm_row sdm630[] = {
    ROW(MQ_VOLTAGE, 0, 4, 0x0000, MT_F32, HI, 1),
    ROW(MQ_VOLTAGE, 1, 4, 0x0002, MT_F32, HI, 1),
    ROW(MQ_VOLTAGE, 2, 4, 0x0004, MT_F32, HI, 1),
    ROW(MQ_CURRENT, 0, 4, 0x0006, MT_F32, HI, 1),
    ROW(MQ_CURRENT, 1, 4, 0x0008, MT_F32, HI, 1),
    ROW(MQ_CURRENT, 2, 4, 0x000A, MT_F32, HI, 1),
    ROW(MQ_POWER, 0, 4, 0x000C, MT_F32, HI, 1),
    ROW(MQ_POWER, 1, 4, 0x000E, MT_F32, HI, 1),
    ROW(MQ_POWER, 2, 4, 0x0010, MT_F32, HI, 1),
    ROW(MQ_POWER_TOTAL, -1, 4, 0x0034, MT_F32, HI, 1),
    ROW(MQ_ENERGY_IMPORT, -1, 4, 0x0048, MT_F32, HI, 1),
};

/* Eastron SDM120: the single-phase member of the same family. */
static const struct mm_row sdm120[] = {
    ROW(MQ_VOLTAGE, 0, 4, 0x0000, MT_F32, HI, 1),
    ROW(MQ_CURRENT, 0, 4, 0x0006, MT_F32, HI, 1),
    ROW(MQ_POWER, 0, 4, 0x000C, MT_F32, HI, 1),
    ROW(MQ_ENERGY_IMPORT, -1, 4, 0x0048, MT_F32, HI, 1),
};

/* ABB B23: holding registers, fixed point, high word first. */
static const struct mm_row abb_b23[] = {
    ROW(MQ_VOLTAGE, 0, 3, 0x5B00, MT_U32, HI, 0.1),
    ROW(MQ_VOLTAGE, 1, 3, 0x5B02, MT_U32, HI, 0.1),
    ROW(MQ_VOLTAGE, 2, 3, 0x5B04, MT_U32, HI, 0.1),
    ROW(MQ_CURRENT, 0, 3, 0x5B0C, MT_U32, HI, 0.01),
    ROW(MQ_CURRENT, 1, 3, 0x5B0E, MT_U32, HI, 0.01),
    ROW(MQ_CURRENT, 2, 3, 0x5B10, MT_U32, HI, 0.01),
    ROW(MQ_POWER_TOTAL, -1, 3, 0x5B14, MT_S32, HI, 0.01),
    ROW(MQ_POWER, 0, 3, 0x5B16, MT_S32, HI, 0.01),
    ROW(MQ_POWER, 1, 3, 0x5B18, MT_S32, HI, 0.01),
    ROW(MQ_POWER, 2, 3, 0x5B1A, MT_S32, HI, 0.01),
    ROW(MQ_ENERGY_IMPORT, -1, 3, 0x5000, MT_U64, HI, 0.01),
};

/* Carlo Gavazzi EM340: input registers, 32-bit integers, low word first. */
static const struct mm_row em340[] = {
    ROW(MQ_VOLTAGE, 0, 4, 0x0000, MT_S32, LO, 0.1),
    ROW(MQ_VOLTAGE, 1, 4, 0x0002, MT_S32, LO, 0.1),
    ROW(MQ_VOLTAGE, 2, 4, 0x0004, MT_S32, LO, 0.1),
    ROW(MQ_CURRENT, 0, 4, 0x000C, MT_S32, LO, 0.001),
    ROW(MQ_CURRENT, 1, 4, 0x000E, MT_S32, LO, 0.001),
    ROW(MQ_CURRENT, 2, 4, 0x0010, MT_S32, LO, 0.001),
    ROW(MQ_POWER, 0, 4, 0x0012, MT_S32, LO, 0.1),
    ROW(MQ_POWER, 1, 4, 0x0014, MT_S32, LO, 0.1),
    ROW(MQ_POWER, 2, 4, 0x0016, MT_S32, LO, 0.1),
    ROW(MQ_POWER_TOTAL, -1, 4, 0x0028, MT_S32, LO, 0.1),
    ROW(MQ_ENERGY_IMPORT, -1, 4, 0x0034, MT_S32, LO, 0.1),
};

/* Phoenix Contact EEM-350-D-MCB: input registers, 32-bit integers, low word
 * first; no per-phase power mapped (the sign comes from the total). */
static const struct mm_row eem350[] = {
    ROW(MQ_VOLTAGE, 0, 4, 0x0000, MT_S32, LO, 0.1),
    ROW(MQ_VOLTAGE, 1, 4, 0x0002, MT_S32, LO, 0.1),
    ROW(MQ_VOLTAGE, 2, 4, 0x0004, MT_S32, LO, 0.1),
    ROW(MQ_CURRENT, 0, 4, 0x000C, MT_S32, LO, 0.001),
    ROW(MQ_CURRENT, 1, 4, 0x000E, MT_S32, LO, 0.001),
    ROW(MQ_CURRENT, 2, 4, 0x0010, MT_S32, LO, 0.001),
    ROW(MQ_POWER_TOTAL, -1, 4, 0x0028, MT_S32, LO, 0.1),
    ROW(MQ_ENERGY_IMPORT, -1, 4, 0x003E, MT_S32, LO, 0.1),
};

/* Finder 7M.38: input registers; the IEEE float block for voltages, currents,
 * total power and energy (Wh), the per-phase powers in Finder's
 * exponent-mantissa type T6. */
static const struct mm_row finder_7m[] = {
    ROW(MQ_VOLTAGE, 0, 4, 2500, MT_F32, HI, 1),
    ROW(MQ_VOLTAGE, 1, 4, 2502, MT_F32, HI, 1),
    ROW(MQ_VOLTAGE, 2, 4, 2504, MT_F32, HI, 1),
    ROW(MQ_CURRENT, 0, 4, 2516, MT_F32, HI, 1),
    ROW(MQ_CURRENT, 1, 4, 2518, MT_F32, HI, 1),
    ROW(MQ_CURRENT, 2, 4, 2520, MT_F32, HI, 1),
    ROW(MQ_POWER_TOTAL, -1, 4, 2536, MT_F32, HI, 1),
    ROW(MQ_POWER, 0, 4, 142, MT_EXP_S24, HI, 1),
    ROW(MQ_POWER, 1, 4, 144, MT_EXP_S24, HI, 1),
    ROW(MQ_POWER, 2, 4, 146, MT_EXP_S24, HI, 1),
    ROW(MQ_ENERGY_IMPORT, -1, 4, 2638, MT_F32, HI, 0.001),
};

/* Schneider Electric iEM3x5x: holding registers, IEEE floats, powers in kW. */
static const struct mm_row iem3x5x[] = {
    ROW(MQ_CURRENT, 0, 3, 2999, MT_F32, HI, 1),
    ROW(MQ_CURRENT, 1, 3, 3001, MT_F32, HI, 1),
    ROW(MQ_CURRENT, 2, 3, 3003, MT_F32, HI, 1),
    ROW(MQ_VOLTAGE, 0, 3, 3027, MT_F32, HI, 1),
    ROW(MQ_VOLTAGE, 1, 3, 3029, MT_F32, HI, 1),
    ROW(MQ_VOLTAGE, 2, 3, 3031, MT_F32, HI, 1),
    ROW(MQ_POWER, 0, 3, 3053, MT_F32, HI, 1000),
    ROW(MQ_POWER, 1, 3, 3055, MT_F32, HI, 1000),
    ROW(MQ_POWER, 2, 3, 3057, MT_F32, HI, 1000),
    ROW(MQ_POWER_TOTAL, -1, 3, 3059, MT_F32, HI, 1000),
    ROW(MQ_ENERGY_IMPORT, -1, 3, 45099, MT_F32, HI, 1),
};

/* Chint DTSU666: holding registers, IEEE floats in 0.1 V, mA and 0.1 W. */
static const struct mm_row dtsu666[] = {
    ROW(MQ_VOLTAGE, 0, 3, 0x2006, MT_F32, HI, 0.1),
    ROW(MQ_VOLTAGE, 1, 3, 0x2008, MT_F32, HI, 0.1),
    ROW(MQ_VOLTAGE, 2, 3, 0x200A, MT_F32, HI, 0.1),
    ROW(MQ_CURRENT, 0, 3, 0x200C, MT_F32, HI, 0.001),
    ROW(MQ_CURRENT, 1, 3, 0x200E, MT_F32, HI, 0.001),
    ROW(MQ_CURRENT, 2, 3, 0x2010, MT_F32, HI, 0.001),
    ROW(MQ_POWER_TOTAL, -1, 3, 0x2012, MT_F32, HI, 0.1),
    ROW(MQ_POWER, 0, 3, 0x2014, MT_F32, HI, 0.1),
    ROW(MQ_POWER, 1, 3, 0x2016, MT_F32, HI, 0.1),
    ROW(MQ_POWER, 2, 3, 0x2018, MT_F32, HI, 0.1),
    ROW(MQ_ENERGY_IMPORT, -1, 3, 0x101E, MT_F32, HI, 1),
};

/* evsed's CT clamp interface (io7 Sense-style clamps behind a Modbus
 * adapter): three signed currents in 10 mA, input registers 0-2. */
static const struct mm_row ct_clamp[] = {
    ROW(MQ_CURRENT, 0, 4, 0, MT_S16, HI, 0.01),
    ROW(MQ_CURRENT, 1, 4, 1, MT_S16, HI, 0.01),
    ROW(MQ_CURRENT, 2, 4, 2, MT_S16, HI, 0.01),
};

#define MODEL(n, d, p, r)                                                                          \
	{                                                                                          \
		n, d, p, r, sizeof r / sizeof r[0]                                                 \
	}
static const struct mm_model models[] = {
    MODEL("sdm630", "Eastron SDM630", 3, sdm630),
    MODEL("sdm120", "Eastron SDM120", 1, sdm120),
    MODEL("abb-b23", "ABB B23", 3, abb_b23),
    MODEL("em340", "Carlo Gavazzi EM340", 3, em340),
    MODEL("eem-350", "Phoenix Contact EEM-350-D-MCB", 3, eem350),
    MODEL("finder-7m", "Finder 7M.38", 3, finder_7m),
    MODEL("iem3x5x", "Schneider Electric iEM3x5x", 3, iem3x5x),
    MODEL("dtsu666", "Chint DTSU666", 3, dtsu666),
    MODEL("ct-clamp", "CT clamps (signed currents only)", 3, ct_clamp),
};
#define NMODELS (sizeof models / sizeof models[0])

static const struct mm_model *const model_list[] = {
    &models[0], &models[1], &models[2], &models[3], &models[4],
    &models[5], &models[6], &models[7], &models[8], NULL,
};
_Static_assert(sizeof model_list / sizeof model_list[0] == NMODELS + 1, "model_list");

const struct mm_model *const *meter_models(void)
{
	return model_list;
}

const struct mm_model *meter_model_find(const char *name)
{
	for (size_t i = 0; i < NMODELS; i++)
		if (strcmp(models[i].name, name) == 0)
			return &models[i];
	return NULL;
}

const char *meter_model_names(void)
{
	return "sdm630, sdm120, abb-b23, em340, eem-350, finder-7m, iem3x5x, dtsu666, ct-clamp";
}

int mm_type_regs(enum mm_type t)
{
	switch (t) {
	case MT_U16:
	case MT_S16:
		return 1;
	case MT_U64:
		return 4;
	case MT_U32:
	case MT_S32:
	case MT_F32:
	case MT_EXP_U24:
	case MT_EXP_S24:
		return 2;
	}
	return 1;
}

static uint16_t swap16(uint16_t w)
{
	return (uint16_t)((w >> 8) | (w << 8));
}

/* The registers as one unsigned number, most significant word first. */
static uint64_t join(const struct mm_row *r, const uint16_t *regs)
{
	int n = mm_type_regs(r->type);
	uint64_t v = 0;
	for (int i = 0; i < n; i++) {
		uint16_t w = regs[r->words == MW_HIGH_FIRST ? i : n - 1 - i];
		if (r->bytes == MB_SWAPPED)
			w = swap16(w);
		v = v << 16 | w;
	}
	return v;
}

static void split(const struct mm_row *r, uint64_t v, uint16_t *regs)
{
	int n = mm_type_regs(r->type);
	for (int i = n - 1; i >= 0; i--) {
		uint16_t w = (uint16_t)(v & 0xFFFF);
		if (r->bytes == MB_SWAPPED)
			w = swap16(w);
		regs[r->words == MW_HIGH_FIRST ? i : n - 1 - i] = w;
		v >>= 16;
	}
}

bool mm_decode(const struct mm_row *r, const uint16_t *regs, double *out)
{
	uint64_t v = join(r, regs);
	double x = 0;
	switch (r->type) {
	case MT_U16:
	case MT_U32:
	case MT_U64:
		x = (double)v;
		break;
	case MT_S16:
		x = (int16_t)(uint16_t)v;
		break;
	case MT_S32:
		x = (int32_t)(uint32_t)v;
		break;
	case MT_F32: {
		uint32_t u = (uint32_t)v;
		float f;
		memcpy(&f, &u, sizeof f);
		x = f;
		break;
	}
	case MT_EXP_U24:
	case MT_EXP_S24: {
		int e = (int8_t)(uint8_t)(v >> 24);
		int32_t m = (int32_t)(v & 0xFFFFFF);
		if (r->type == MT_EXP_S24 && (m & 0x800000))
			m -= 0x1000000;
		x = m * pow(10, e);
		break;
	}
	}
	x *= r->scale;
	if (!isfinite(x))
		return false;
	*out = x;
	return true;
}

static double clampd(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

void mm_encode(const struct mm_row *r, double value, uint16_t *regs)
{
	double raw = value / r->scale;
	uint64_t v = 0;
	switch (r->type) {
	case MT_U16:
		v = (uint64_t)llround(clampd(raw, 0, 65535));
		break;
	case MT_S16:
		v = (uint16_t)(int16_t)llround(clampd(raw, -32768, 32767));
		break;
	case MT_U32:
		v = (uint64_t)llround(clampd(raw, 0, 4294967295.0));
		break;
	case MT_S32:
		v = (uint32_t)(int32_t)llround(clampd(raw, -2147483648.0, 2147483647.0));
		break;
	case MT_U64:
		v = (uint64_t)clampd(round(raw), 0, 1.8e19);
		break;
	case MT_F32: {
		float f = (float)raw;
		uint32_t u;
		memcpy(&u, &f, sizeof u);
		v = u;
		break;
	}
	case MT_EXP_U24:
	case MT_EXP_S24: {
		bool sgn = r->type == MT_EXP_S24;
		double lim = sgn ? 8388607 : 16777215;
		if (!sgn && raw < 0)
			raw = 0;
		/* The smallest exponent whose mantissa fits: the most digits. */
		int e = -9;
		while (e < 127 && fabs(round(raw / pow(10, e))) > lim)
			e++;
		int32_t m = (int32_t)clampd(round(raw / pow(10, e)), -lim, lim);
		v = (uint64_t)(uint8_t)(int8_t)e << 24 | ((uint32_t)m & 0xFFFFFF);
		break;
	}
	}
	split(r, v, regs);
}

size_t meter_plan(const struct mm_model *m, struct mm_block *out, size_t max)
{
	/* Rows by function, then address (insertion sort: a dozen rows). */
	size_t idx[MM_MAX_ROWS];
	size_t n = m->nrows < MM_MAX_ROWS ? m->nrows : MM_MAX_ROWS;
	for (size_t i = 0; i < n; i++) {
		size_t j = i;
		while (j > 0 && (m->rows[idx[j - 1]].fc > m->rows[i].fc ||
				 (m->rows[idx[j - 1]].fc == m->rows[i].fc &&
				  m->rows[idx[j - 1]].addr > m->rows[i].addr))) {
			idx[j] = idx[j - 1];
			j--;
		}
		idx[j] = i;
	}
	size_t nb = 0;
	for (size_t i = 0; i < n; i++) {
		const struct mm_row *r = &m->rows[idx[i]];
		unsigned end = (unsigned)r->addr + (unsigned)mm_type_regs(r->type);
		if (nb > 0) {
			struct mm_block *b = &out[nb - 1];
			if (b->fc == r->fc && end - b->addr <= MM_BLOCK_MAX) {
				if (end - b->addr > b->count)
					b->count = (uint16_t)(end - b->addr);
				continue;
			}
		}
		if (nb == max)
			break;
		out[nb++] = (struct mm_block){r->fc, r->addr, (uint16_t)(end - r->addr)};
	}
	return nb;
}

static const uint16_t *regs_of(const struct mm_row *r, const struct mm_block *blocks,
			       size_t nblocks, const uint16_t *const *data)
{
	unsigned n = (unsigned)mm_type_regs(r->type);
	for (size_t i = 0; i < nblocks; i++)
		if (blocks[i].fc == r->fc && r->addr >= blocks[i].addr &&
		    r->addr + n <= (unsigned)blocks[i].addr + blocks[i].count)
			return data[i] + (r->addr - blocks[i].addr);
	return NULL;
}

bool meter_decode(const struct mm_model *m, const struct mm_block *blocks, size_t nblocks,
		  const uint16_t *const *data, struct mm_reading *out)
{
	memset(out, 0, sizeof *out);
	unsigned phases_seen = 0;
	unsigned power_seen = 0;
	for (size_t i = 0; i < m->nrows; i++) {
		const struct mm_row *r = &m->rows[i];
		const uint16_t *regs = regs_of(r, blocks, nblocks, data);
		double v;
		if (!regs || !mm_decode(r, regs, &v)) {
			if (r->qty == MQ_CURRENT)
				return false;
			continue;
		}
		int p = r->phase;
		switch (r->qty) {
		case MQ_CURRENT:
			out->current_a[p] = v;
			phases_seen |= 1u << p;
			break;
		case MQ_VOLTAGE:
			out->voltage_v[p] = v;
			break;
		case MQ_POWER:
			out->power_w[p] = v;
			power_seen |= 1u << p;
			break;
		case MQ_POWER_TOTAL:
			out->power_total_w = v;
			break;
		case MQ_ENERGY_IMPORT:
			out->energy_import_kwh = v;
			break;
		}
		out->have |= 1u << r->qty;
	}
	unsigned want = m->phases == 1 ? 1u : 7u;
	if ((phases_seen & want) != want)
		return false;
	/* The sign of each current: its phase's power, else the total. */
	for (int p = 0; p < 3; p++) {
		double mag = fabs(out->current_a[p]);
		if (power_seen & (1u << p))
			out->current_a[p] = out->power_w[p] < 0 ? -mag : mag;
		else if (out->have & (1u << MQ_POWER_TOTAL))
			out->current_a[p] = out->power_total_w < 0 ? -mag : mag;
	}
	return true;
}

/* ---- meter.site ------------------------------------------------------- */

static bool parse_int(const char *s, long lo, long hi, long *out)
{
	if (!*s)
		return false;
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static const long bauds[] = {1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200};

#define SPEC_USAGE                                                                                 \
	"expected none, sim, modbus-rtu:DEVICE:BAUD:PARITY:ADDRESS:MODEL or "                      \
	"modbus-tcp:HOST:PORT:UNIT:MODEL"

bool meter_spec_parse(const char *text, struct meter_spec *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	if (strcmp(text, "none") == 0 || strcmp(text, "sim") == 0) {
		out->kind = text[0] == 'n' ? METER_NONE : METER_SIM;
		return true;
	}
	char buf[256];
	if (strlen(text) >= sizeof buf) {
		snprintf(err, errlen, "too long");
		return false;
	}
	snprintf(buf, sizeof buf, "%s", text);
	char *f[8];
	int n = 0;
	for (char *p = buf;; p++) {
		if (n == 8)
			break;
		f[n++] = p;
		p = strchr(p, ':');
		if (!p)
			break;
		*p = '\0';
	}
	long v;
	if (strcmp(f[0], "modbus-rtu") == 0) {
		if (n != 6) {
			snprintf(err, errlen,
				 "modbus-rtu: expected 6 fields "
				 "modbus-rtu:DEVICE:BAUD:PARITY:ADDRESS:MODEL");
			return false;
		}
		out->kind = METER_RTU;
		if (f[1][0] != '/' || strlen(f[1]) >= sizeof out->device) {
			snprintf(err, errlen,
				 "modbus-rtu: device '%s' must be an absolute path (/dev/ttyUSB0)",
				 f[1]);
			return false;
		}
		snprintf(out->device, sizeof out->device, "%s", f[1]);
		bool ok = parse_int(f[2], 1, 1000000, &v);
		bool known = false;
		for (size_t i = 0; ok && i < sizeof bauds / sizeof bauds[0]; i++)
			known |= bauds[i] == v;
		if (!known) {
			snprintf(err, errlen,
				 "modbus-rtu: baud '%s' is not one of 1200, 2400, 4800, 9600, "
				 "19200, 38400, 57600, 115200",
				 f[2]);
			return false;
		}
		out->baud = (int)v;
		if (strlen(f[3]) != 1 || !strchr("NEO", f[3][0])) {
			snprintf(err, errlen, "modbus-rtu: parity '%s' must be N, E or O", f[3]);
			return false;
		}
		out->parity = f[3][0];
		if (!parse_int(f[4], 1, 247, &v)) {
			snprintf(err, errlen, "modbus-rtu: address '%s' must be 1-247", f[4]);
			return false;
		}
		out->address = (int)v;
	} else if (strcmp(f[0], "modbus-tcp") == 0) {
		if (n != 5) {
			snprintf(err, errlen,
				 "modbus-tcp: expected 5 fields modbus-tcp:HOST:PORT:UNIT:MODEL");
			return false;
		}
		out->kind = METER_TCP;
		if (!f[1][0] || strlen(f[1]) >= sizeof out->host || strpbrk(f[1], " \t/")) {
			snprintf(err, errlen,
				 "modbus-tcp: host '%s' must be a host name or address", f[1]);
			return false;
		}
		snprintf(out->host, sizeof out->host, "%s", f[1]);
		if (!parse_int(f[2], 1, 65535, &v)) {
			snprintf(err, errlen, "modbus-tcp: port '%s' must be 1-65535", f[2]);
			return false;
		}
		out->port = (int)v;
		if (!parse_int(f[3], 0, 255, &v) || (v > 247 && v < 255)) {
			snprintf(err, errlen, "modbus-tcp: unit '%s' must be 0-247 or 255", f[3]);
			return false;
		}
		out->address = (int)v;
	} else {
		snprintf(err, errlen, SPEC_USAGE);
		return false;
	}
	out->model = meter_model_find(f[n - 1]);
	if (!out->model) {
		snprintf(err, errlen, "unknown meter model '%s' (one of %s)", f[n - 1],
			 meter_model_names());
		return false;
	}
	return true;
}
