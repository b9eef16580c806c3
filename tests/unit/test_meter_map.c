/* SPDX-License-Identifier: MIT */
/*
 * Site meter register maps (E1): decoding known byte patterns for every data
 * type, word and byte order; every map row sane and covered by the read plan;
 * encode / decode round trips (what the test simulator relies on); the sign
 * of the site current; the meter.site parser and its refusals.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/meter_map.h"
#include "core/settings.h"
#include "vclock.h"

static struct mm_row row(enum mm_type t, enum mm_words w, enum mm_bytes b, double scale)
{
	return (struct mm_row){MQ_CURRENT, 0, 4, 0, t, w, b, scale};
}

static double dec(struct mm_row r, const uint16_t *regs)
{
	double v = -12345;
	assert_true(mm_decode(&r, regs, &v));
	return v;
}

static void near(double a, double b)
{
	if (fabs(a - b) > 1e-6 * (fabs(b) > 1 ? fabs(b) : 1))
		fail_msg("%.9g is not %.9g", a, b);
}

static void decodes_16_bit_types(void **state)
{
	(void)state;
	uint16_t r[] = {0xFFFE};
	near(dec(row(MT_U16, MW_HIGH_FIRST, MB_BIG, 1), r), 65534);
	near(dec(row(MT_S16, MW_HIGH_FIRST, MB_BIG, 1), r), -2);
	near(dec(row(MT_S16, MW_HIGH_FIRST, MB_BIG, 0.01), r), -0.02);
	uint16_t s[] = {0x3412};
	near(dec(row(MT_U16, MW_HIGH_FIRST, MB_SWAPPED, 1), s), 0x1234);
}

static void decodes_32_bit_integers_in_both_word_orders(void **state)
{
	(void)state;
	uint16_t hi[] = {0x0001, 0x0002};
	near(dec(row(MT_U32, MW_HIGH_FIRST, MB_BIG, 1), hi), 65538);
	near(dec(row(MT_U32, MW_LOW_FIRST, MB_BIG, 1), hi), 0x00020001);
	/* -1000 = 0xFFFFFC18 */
	uint16_t neg_hi[] = {0xFFFF, 0xFC18};
	uint16_t neg_lo[] = {0xFC18, 0xFFFF};
	near(dec(row(MT_S32, MW_HIGH_FIRST, MB_BIG, 0.001), neg_hi), -1.0);
	near(dec(row(MT_S32, MW_LOW_FIRST, MB_BIG, 0.001), neg_lo), -1.0);
	uint16_t neg_sw[] = {0x18FC, 0xFFFF};
	near(dec(row(MT_S32, MW_LOW_FIRST, MB_SWAPPED, 1), neg_sw), -1000);
	/* As unsigned: no sign. */
	near(dec(row(MT_U32, MW_HIGH_FIRST, MB_BIG, 1), neg_hi), 4294966296.0);
}

static void decodes_64_bit_integers(void **state)
{
	(void)state;
	/* 123456789 = 0x075BCD15 */
	uint16_t hi[] = {0, 0, 0x075B, 0xCD15};
	uint16_t lo[] = {0xCD15, 0x075B, 0, 0};
	near(dec(row(MT_U64, MW_HIGH_FIRST, MB_BIG, 0.01), hi), 1234567.89);
	near(dec(row(MT_U64, MW_LOW_FIRST, MB_BIG, 0.01), lo), 1234567.89);
}

static void decodes_floats_in_every_order(void **state)
{
	(void)state;
	/* 230.0f = 0x43660000; -10.5f = 0xC1280000 */
	uint16_t abcd[] = {0x4366, 0x0000};
	uint16_t cdab[] = {0x0000, 0x4366};
	uint16_t badc[] = {0x6643, 0x0000};
	uint16_t dcba[] = {0x0000, 0x6643};
	near(dec(row(MT_F32, MW_HIGH_FIRST, MB_BIG, 1), abcd), 230.0);
	near(dec(row(MT_F32, MW_LOW_FIRST, MB_BIG, 1), cdab), 230.0);
	near(dec(row(MT_F32, MW_HIGH_FIRST, MB_SWAPPED, 1), badc), 230.0);
	near(dec(row(MT_F32, MW_LOW_FIRST, MB_SWAPPED, 1), dcba), 230.0);
	uint16_t neg[] = {0xC128, 0x0000};
	near(dec(row(MT_F32, MW_HIGH_FIRST, MB_BIG, 1000), neg), -10500);
}

static void refuses_values_that_are_no_number(void **state)
{
	(void)state;
	uint16_t nan[] = {0x7FC0, 0x0000};
	uint16_t inf[] = {0x7F80, 0x0000};
	struct mm_row r = row(MT_F32, MW_HIGH_FIRST, MB_BIG, 1);
	double v = 7;
	assert_false(mm_decode(&r, nan, &v));
	assert_false(mm_decode(&r, inf, &v));
	near(v, 7);
}

static void decodes_exponent_mantissa_types(void **state)
{
	(void)state;
	/* T5: exponent -1 (0xFF), mantissa 2300: 230.0 */
	uint16_t t5[] = {0xFF00, 0x08FC};
	near(dec(row(MT_EXP_U24, MW_HIGH_FIRST, MB_BIG, 1), t5), 230.0);
	/* T6: exponent 1, mantissa -5 (0xFFFFFB): -50 */
	uint16_t t6[] = {0x01FF, 0xFFFB};
	near(dec(row(MT_EXP_S24, MW_HIGH_FIRST, MB_BIG, 1), t6), -50);
	/* The same bits as T5: an unsigned mantissa. */
	near(dec(row(MT_EXP_U24, MW_HIGH_FIRST, MB_BIG, 1), t6), 16777211.0 * 10);
	/* Exponent -3, mantissa 1234: 1.234 */
	uint16_t small[] = {0xFD00, 0x04D2};
	near(dec(row(MT_EXP_S24, MW_HIGH_FIRST, MB_BIG, 1), small), 1.234);
}

/* Every type and order round-trips through encode and decode. */
static void encodes_what_it_decodes(void **state)
{
	(void)state;
	const enum mm_type types[] = {MT_U16, MT_S16, MT_U32,	  MT_S32,
				      MT_U64, MT_F32, MT_EXP_U24, MT_EXP_S24};
	const double values[] = {0, 1.25, 12.5, 230.4, 1600};
	for (size_t t = 0; t < sizeof types / sizeof types[0]; t++)
		for (int w = 0; w < 2; w++)
			for (int b = 0; b < 2; b++)
				for (size_t v = 0; v < sizeof values / sizeof values[0]; v++) {
					struct mm_row r =
					    row(types[t], (enum mm_words)w, (enum mm_bytes)b, 0.05);
					uint16_t regs[4] = {0};
					mm_encode(&r, values[v], regs);
					double got;
					assert_true(mm_decode(&r, regs, &got));
					if (fabs(got - values[v]) > 0.025 + 1e-4 * values[v])
						fail_msg("type %zu words %d bytes %d: %g -> %g", t,
							 w, b, values[v], got);
				}
	/* Negative values in signed types. */
	struct mm_row s = row(MT_EXP_S24, MW_LOW_FIRST, MB_BIG, 1);
	uint16_t regs[2];
	mm_encode(&s, -2345.6, regs);
	near(dec(s, regs), -2345.6);
	s.type = MT_S16;
	s.scale = 0.01;
	mm_encode(&s, -3.21, regs);
	near(dec(s, regs), -3.21);
}

static bool listed(const char *name)
{
	const char *l = meter_model_names();
	size_t n = strlen(name);
	for (const char *p = strstr(l, name); p; p = strstr(p + 1, name))
		if ((p == l || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

static void every_map_row_is_sane(void **state)
{
	(void)state;
	const struct mm_model *const *ms = meter_models();
	size_t count = 0;
	for (size_t i = 0; ms[i]; i++, count++) {
		const struct mm_model *m = ms[i];
		assert_non_null(m->name);
		assert_non_null(m->desc);
		assert_true(listed(m->name));
		assert_ptr_equal(meter_model_find(m->name), m);
		assert_null(strchr(m->name, ':'));
		assert_true(m->phases == 1 || m->phases == 3);
		assert_true(m->nrows > 0 && m->nrows <= MM_MAX_ROWS);
		unsigned currents = 0;
		for (size_t j = 0; j < m->nrows; j++) {
			const struct mm_row *r = &m->rows[j];
			if (!(r->fc == 3 || r->fc == 4))
				fail_msg("%s row %zu: function %d", m->name, j, r->fc);
			assert_true(r->scale > 0);
			bool total = r->qty == MQ_POWER_TOTAL || r->qty == MQ_ENERGY_IMPORT;
			if (total)
				assert_int_equal(r->phase, -1);
			else if (r->phase < 0 || r->phase >= m->phases)
				fail_msg("%s row %zu: phase %d", m->name, j, r->phase);
			if (r->qty == MQ_CURRENT)
				currents |= 1u << r->phase;
			assert_true((unsigned)r->addr + (unsigned)mm_type_regs(r->type) <= 65536);
			/* No two rows of a model overlap or repeat a quantity. */
			for (size_t k = 0; k < j; k++) {
				const struct mm_row *o = &m->rows[k];
				if (o->qty == r->qty && o->phase == r->phase)
					fail_msg("%s: rows %zu and %zu both read one quantity",
						 m->name, k, j);
				if (o->fc != r->fc)
					continue;
				unsigned a0 = r->addr, a1 = a0 + (unsigned)mm_type_regs(r->type);
				unsigned b0 = o->addr, b1 = b0 + (unsigned)mm_type_regs(o->type);
				if (a0 < b1 && b0 < a1)
					fail_msg("%s: rows %zu and %zu overlap", m->name, k, j);
			}
		}
		assert_int_equal(currents, m->phases == 1 ? 1u : 7u);
		/* The plan covers every row within the limits. */
		struct mm_block b[MM_MAX_BLOCKS];
		size_t nb = meter_plan(m, b, MM_MAX_BLOCKS);
		assert_true(nb > 0 && nb <= MM_MAX_BLOCKS);
		for (size_t k = 0; k < nb; k++)
			assert_true(b[k].count > 0 && b[k].count <= MM_BLOCK_MAX);
		for (size_t j = 0; j < m->nrows; j++) {
			const struct mm_row *r = &m->rows[j];
			bool covered = false;
			for (size_t k = 0; k < nb; k++)
				covered |=
				    b[k].fc == r->fc && r->addr >= b[k].addr &&
				    r->addr + mm_type_regs(r->type) <= b[k].addr + b[k].count;
			if (!covered)
				fail_msg("%s row %zu is in no block", m->name, j);
		}
	}
	assert_int_equal(count, 9);
	assert_null(meter_model_find("sdm999"));
}

/* A register image of the model holding the given values. */
struct image {
	struct mm_block b[MM_MAX_BLOCKS];
	size_t nb;
	uint16_t regs[MM_MAX_BLOCKS][MM_BLOCK_MAX];
	const uint16_t *data[MM_MAX_BLOCKS];
};

static void image_put(struct image *im, const struct mm_model *m, const double cur[3],
		      const double pw[3], double total)
{
	memset(im, 0, sizeof *im);
	im->nb = meter_plan(m, im->b, MM_MAX_BLOCKS);
	for (size_t k = 0; k < im->nb; k++)
		im->data[k] = im->regs[k];
	for (size_t j = 0; j < m->nrows; j++) {
		const struct mm_row *r = &m->rows[j];
		double v = 0;
		switch (r->qty) {
		case MQ_CURRENT:
			v = cur[r->phase];
			break;
		case MQ_VOLTAGE:
			v = 230;
			break;
		case MQ_POWER:
			v = pw[r->phase];
			break;
		case MQ_POWER_TOTAL:
			v = total;
			break;
		case MQ_ENERGY_IMPORT:
			v = 1234.5;
			break;
		}
		for (size_t k = 0; k < im->nb; k++)
			if (im->b[k].fc == r->fc && r->addr >= im->b[k].addr &&
			    r->addr < im->b[k].addr + im->b[k].count)
				mm_encode(r, v, im->regs[k] + (r->addr - im->b[k].addr));
	}
}

/* Every model decodes what is encoded with its rows: the simulator and
 * the reader agree on every map. */
static void every_model_round_trips(void **state)
{
	(void)state;
	const struct mm_model *const *ms = meter_models();
	for (size_t i = 0; ms[i]; i++) {
		const struct mm_model *m = ms[i];
		const double cur[3] = {12.5, 7.25, 3};
		const double pw[3] = {2875, 1667.5, 690};
		struct image im;
		image_put(&im, m, cur, pw, 5232.5);
		struct mm_reading rd;
		if (!meter_decode(m, im.b, im.nb, im.data, &rd))
			fail_msg("%s: no reading", m->name);
		for (int p = 0; p < m->phases; p++)
			if (fabs(rd.current_a[p] - cur[p]) > 0.01)
				fail_msg("%s L%d: %g A", m->name, p + 1, rd.current_a[p]);
		for (int p = m->phases; p < 3; p++)
			near(rd.current_a[p], 0);
		if (rd.have & (1u << MQ_VOLTAGE))
			assert_true(fabs(rd.voltage_v[0] - 230) < 0.1);
		if (rd.have & (1u << MQ_ENERGY_IMPORT))
			assert_true(fabs(rd.energy_import_kwh - 1234.5) < 0.1);
		if (rd.have & (1u << MQ_POWER))
			assert_true(fabs(rd.power_w[0] - 2875) < 1);
	}
}

/* Each model's L1 current at its documented register, as the meter sends
 * it (10 A), written by hand rather than by mm_encode: pins the rows'
 * addresses, types, orders and scales to the manufacturers' documents. */
static void decodes_documented_registers(void **state)
{
	(void)state;
	static const struct {
		const char *model;
		uint8_t fc;
		uint16_t addr;
		uint16_t words[2];
		int n;
	} doc[] = {
	    {"sdm630", 4, 0x0006, {0x4120, 0x0000}, 2},	  /* float 10.0 */
	    {"sdm120", 4, 0x0006, {0x4120, 0x0000}, 2},	  /* float 10.0 */
	    {"abb-b23", 3, 0x5B0C, {0x0000, 0x03E8}, 2},  /* uint32 1000 x 0.01 A */
	    {"em340", 4, 0x000C, {0x2710, 0x0000}, 2},	  /* int32 10000 mA, LSW first */
	    {"eem-350", 4, 0x000C, {0x2710, 0x0000}, 2},  /* int32 10000 mA, LSW first */
	    {"finder-7m", 4, 2516, {0x4120, 0x0000}, 2},  /* float 10.0 */
	    {"iem3x5x", 3, 2999, {0x4120, 0x0000}, 2},	  /* float 10.0 (register 3000) */
	    {"dtsu666", 3, 0x200C, {0x461C, 0x4000}, 2},  /* float 10000.0 mA */
	    {"ct-clamp", 4, 0x0000, {0x03E8, 0x0000}, 1}, /* int16 1000 x 0.01 A */
	};
	for (size_t i = 0; i < sizeof doc / sizeof doc[0]; i++) {
		const struct mm_model *m = meter_model_find(doc[i].model);
		assert_non_null(m);
		struct image im;
		memset(&im, 0, sizeof im);
		im.nb = meter_plan(m, im.b, MM_MAX_BLOCKS);
		bool placed = false;
		for (size_t k = 0; k < im.nb; k++) {
			im.data[k] = im.regs[k];
			if (im.b[k].fc == doc[i].fc && doc[i].addr >= im.b[k].addr &&
			    doc[i].addr + doc[i].n <= im.b[k].addr + im.b[k].count) {
				memcpy(im.regs[k] + (doc[i].addr - im.b[k].addr), doc[i].words,
				       (size_t)doc[i].n * sizeof(uint16_t));
				placed = true;
			}
		}
		if (!placed)
			fail_msg("%s: register %d (function %d) is not read", doc[i].model,
				 doc[i].addr, doc[i].fc);
		struct mm_reading rd;
		assert_true(meter_decode(m, im.b, im.nb, im.data, &rd));
		if (fabs(rd.current_a[0] - 10) > 1e-6)
			fail_msg("%s: L1 reads %g A, not 10 A", doc[i].model, rd.current_a[0]);
	}
}

static void export_gives_negative_currents(void **state)
{
	(void)state;
	struct image im;
	struct mm_reading rd;
	/* Per-phase power: each phase its own sign (current a magnitude). */
	const struct mm_model *m = meter_model_find("sdm630");
	image_put(&im, m, (double[]){10, 4, 2}, (double[]){-2300, 920, -460}, -1840);
	assert_true(meter_decode(m, im.b, im.nb, im.data, &rd));
	near(rd.current_a[0], -10);
	near(rd.current_a[1], 4);
	near(rd.current_a[2], -2);
	/* Only the total: its sign for every phase. */
	m = meter_model_find("eem-350");
	image_put(&im, m, (double[]){10, 4, 2}, (double[]){0, 0, 0}, -3680);
	assert_true(meter_decode(m, im.b, im.nb, im.data, &rd));
	near(rd.current_a[0], -10);
	near(rd.current_a[2], -2);
	/* Finder 7M: the T6 per-phase powers give the sign. */
	m = meter_model_find("finder-7m");
	image_put(&im, m, (double[]){6, 6, 6}, (double[]){-1380, 1380, -1380}, -1380);
	assert_true(meter_decode(m, im.b, im.nb, im.data, &rd));
	near(rd.current_a[0], -6);
	near(rd.current_a[1], 6);
	/* Signed currents and no power: as read. */
	m = meter_model_find("ct-clamp");
	image_put(&im, m, (double[]){-3.5, 8, 0}, (double[]){0, 0, 0}, 0);
	assert_true(meter_decode(m, im.b, im.nb, im.data, &rd));
	near(rd.current_a[0], -3.5);
	near(rd.current_a[1], 8);
}

static void a_current_that_is_no_number_is_no_reading(void **state)
{
	(void)state;
	const struct mm_model *m = meter_model_find("sdm630");
	struct image im;
	image_put(&im, m, (double[]){1, 2, 3}, (double[]){1, 1, 1}, 3);
	/* L2 current (0x0008) is NaN. */
	im.regs[0][8] = 0x7FC0;
	im.regs[0][9] = 0;
	struct mm_reading rd;
	assert_false(meter_decode(m, im.b, im.nb, im.data, &rd));
	/* A missing block: no reading either. */
	assert_false(meter_decode(m, im.b, 0, im.data, &rd));
}

static void parses_meter_site(void **state)
{
	(void)state;
	struct meter_spec sp;
	char err[256];
	assert_true(meter_spec_parse("none", &sp, err, sizeof err));
	assert_int_equal(sp.kind, METER_NONE);
	assert_true(meter_spec_parse("sim", &sp, err, sizeof err));
	assert_int_equal(sp.kind, METER_SIM);
	assert_true(
	    meter_spec_parse("modbus-rtu:/dev/ttyUSB0:9600:E:7:sdm630", &sp, err, sizeof err));
	assert_int_equal(sp.kind, METER_RTU);
	assert_string_equal(sp.device, "/dev/ttyUSB0");
	assert_int_equal(sp.baud, 9600);
	assert_int_equal(sp.parity, 'E');
	assert_int_equal(sp.address, 7);
	assert_string_equal(sp.model->name, "sdm630");
	assert_true(meter_spec_parse("modbus-tcp:meter.local:502:0:abb-b23", &sp, err, sizeof err));
	assert_int_equal(sp.kind, METER_TCP);
	assert_string_equal(sp.host, "meter.local");
	assert_int_equal(sp.port, 502);
	assert_int_equal(sp.address, 0);
	assert_string_equal(sp.model->name, "abb-b23");
}

static void refuses_bad_meter_site(void **state)
{
	(void)state;
	static const struct {
		const char *text, *reason;
	} bad[] = {
	    {"modbus", "expected none, sim"},
	    {"modbus-rtu:/dev/ttyUSB0:9600:E:7", "expected 6 fields"},
	    {"modbus-rtu:ttyUSB0:9600:E:7:sdm630", "absolute path"},
	    {"modbus-rtu:/dev/ttyUSB0:9601:E:7:sdm630", "baud '9601'"},
	    {"modbus-rtu:/dev/ttyUSB0:fast:E:7:sdm630", "baud 'fast'"},
	    {"modbus-rtu:/dev/ttyUSB0:9600:X:7:sdm630", "parity 'X' must be N, E or O"},
	    {"modbus-rtu:/dev/ttyUSB0:9600:N:0:sdm630", "address '0' must be 1-247"},
	    {"modbus-rtu:/dev/ttyUSB0:9600:N:248:sdm630", "address '248' must be 1-247"},
	    {"modbus-rtu:/dev/ttyUSB0:9600:N:1:sdm999", "unknown meter model 'sdm999' (one of "
							"sdm630, sdm120, abb-b23"},
	    {"modbus-tcp:host:502:1", "expected 5 fields"},
	    {"modbus-tcp::502:1:sdm630", "host ''"},
	    {"modbus-tcp:host:0:1:sdm630", "port '0' must be 1-65535"},
	    {"modbus-tcp:host:65536:1:sdm630", "port '65536'"},
	    {"modbus-tcp:host:502:256:sdm630", "unit '256' must be 0-247 or 255"},
	    {"modbus-tcp:host:502:250:sdm630", "unit '250'"},
	    {"modbus-tcp:host:502:1:", "unknown meter model ''"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct meter_spec sp;
		char err[256] = "";
		if (meter_spec_parse(bad[i].text, &sp, err, sizeof err))
			fail_msg("'%s' accepted", bad[i].text);
		if (!strstr(err, bad[i].reason))
			fail_msg("'%s': '%s' does not say '%s'", bad[i].text, err, bad[i].reason);
	}
}

/* The setting goes through the same parser; a refusal changes nothing. */
static void the_setting_refuses_a_bad_value(void **state)
{
	(void)state;
	struct settings *s = settings_new(PROFILE_IO7);
	assert_non_null(s);
	char err[256];
	assert_int_equal(settings_set(s, "meter.site", "modbus-tcp:h:502:1:nope", SRC_CLI, err,
				      sizeof err, NULL),
			 SET_E_INVALID);
	assert_non_null(strstr(err, "meter.site"));
	assert_non_null(strstr(err, "unknown meter model 'nope'"));
	assert_string_equal(settings_str(s, SET_METER_SITE), "none");
	assert_int_equal(settings_set(s, "meter.site", "modbus-tcp:127.0.0.1:1502:1:em340", SRC_CLI,
				      err, sizeof err, NULL),
			 SET_OK);
	assert_string_equal(settings_str(s, SET_METER_SITE), "modbus-tcp:127.0.0.1:1502:1:em340");
	assert_int_equal(settings_set(s, "meter.timeout", "0", SRC_CLI, err, sizeof err, NULL),
			 SET_E_INVALID);
	settings_free(s);
}

/* clang-format off */
static const struct CMUnitTest tests[] = {
    cmocka_unit_test(decodes_16_bit_types),
    cmocka_unit_test(decodes_32_bit_integers_in_both_word_orders),
    cmocka_unit_test(decodes_64_bit_integers),
    cmocka_unit_test(decodes_floats_in_every_order),
    cmocka_unit_test(refuses_values_that_are_no_number),
    cmocka_unit_test(decodes_exponent_mantissa_types),
    cmocka_unit_test(encodes_what_it_decodes),
    cmocka_unit_test(every_map_row_is_sane),
    cmocka_unit_test(every_model_round_trips),
    cmocka_unit_test(decodes_documented_registers),
    cmocka_unit_test(export_gives_negative_currents),
    cmocka_unit_test(a_current_that_is_no_number_is_no_reading),
    cmocka_unit_test(parses_meter_site),
    cmocka_unit_test(refuses_bad_meter_site),
    cmocka_unit_test(the_setting_refuses_a_bad_value),
};
/* clang-format on */

VCLOCK_MAIN("meter_map", tests)
