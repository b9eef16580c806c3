/* SPDX-License-Identifier: MIT */
/*
 * Site meter register maps (E1) as data: per meter model, one row per
 * quantity (current, voltage, active power per phase or total, import energy)
 * with its Modbus function (03 holding / 04 input), register address
 * (0-based, as sent on the wire), data type, word and byte order and scale.
 * A small engine over the rows: plan the block reads, decode raw registers
 * into a reading, encode a value (the test simulator serves a map with the
 * same rows), and parse the meter.site setting. Pure: no I/O.
 *
 * Signs: the site current is positive when the site imports and negative
 * when it exports. Most meters give the current as a magnitude; the sign is
 * then the sign of that phase's active power, or of the total active power
 * when the map has no per-phase power (right when every phase goes the same
 * way), else the current is taken as an import.
 */
#ifndef EVSED_METER_MAP_H
#define EVSED_METER_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum mm_qty {
	MQ_CURRENT,	  /* A, per phase */
	MQ_VOLTAGE,	  /* V line-neutral, per phase */
	MQ_POWER,	  /* W active, per phase, import positive */
	MQ_POWER_TOTAL,	  /* W active, all phases, import positive */
	MQ_ENERGY_IMPORT, /* kWh imported, total */
};

enum mm_type {
	MT_U16,
	MT_S16,
	MT_U32,
	MT_S32,
	MT_U64,
	MT_F32,	    /* IEEE 754 single */
	MT_EXP_U24, /* signed 8-bit power-of-ten exponent, unsigned 24-bit mantissa
		       (Finder 7M "T5") */
	MT_EXP_S24, /* signed 8-bit exponent, signed 24-bit mantissa (Finder "T6") */
};

/* Multi-register values: which register holds the most significant word. */
enum mm_words { MW_HIGH_FIRST, MW_LOW_FIRST };
/* Within one register: Modbus big-endian, or the two bytes swapped. */
enum mm_bytes { MB_BIG, MB_SWAPPED };

struct mm_row {
	enum mm_qty qty;
	int phase;  /* 0..2; -1 for totals */
	uint8_t fc; /* 3 read holding registers, 4 read input registers */
	uint16_t addr;
	enum mm_type type;
	enum mm_words words;
	enum mm_bytes bytes;
	double scale; /* value = raw * scale, in the unit of qty */
};

struct mm_model {
	const char *name; /* as in meter.site */
	const char *desc;
	int phases; /* 1 or 3 */
	const struct mm_row *rows;
	size_t nrows;
};

#define MM_MAX_ROWS   16
#define MM_MAX_BLOCKS 16
#define MM_BLOCK_MAX  40 /* registers in one read; far below Modbus's 125 */

/* The models, NULL-terminated; static, never freed. */
const struct mm_model *const *meter_models(void);
/* A model by its name; NULL if unknown. */
const struct mm_model *meter_model_find(const char *name);
/* The model names, comma-separated, for error messages; static. */
const char *meter_model_names(void);

/* Registers a value of type t takes (1, 2 or 4). */
int mm_type_regs(enum mm_type t);

/* Decode one value from the registers regs[0..mm_type_regs) as read from
 * the wire; false for a value that is no number (NaN, infinity). */
bool mm_decode(const struct mm_row *r, const uint16_t *regs, double *out);
/* Encode value (in the unit of r->qty) into registers, rounded to the
 * type; out of range values saturate. Used by the test simulator. */
void mm_encode(const struct mm_row *r, double value, uint16_t *regs);

/* One read request: count registers from addr with function fc. */
struct mm_block {
	uint8_t fc;
	uint16_t addr;
	uint16_t count;
};

/* Group the model's rows into as few reads as fit MM_BLOCK_MAX registers.
 * Returns the number of blocks written to out (at most max). */
size_t meter_plan(const struct mm_model *m, struct mm_block *out, size_t max);

/* What a meter read gives. */
struct mm_reading {
	double current_a[3]; /* signed: import positive, export negative */
	double voltage_v[3];
	double power_w[3];
	double power_total_w;
	double energy_import_kwh;
	unsigned have; /* bit (1 << enum mm_qty) for each quantity read */
};

/* Decode a whole reading from the blocks of meter_plan(m) and their
 * registers data[i] (blocks[i].count each), signing the currents (see the
 * top of this file). false if a current is missing or not a number. */
bool meter_decode(const struct mm_model *m, const struct mm_block *blocks, size_t nblocks,
		  const uint16_t *const *data, struct mm_reading *out);

/* meter.site parsed. */
enum meter_kind { METER_NONE, METER_SIM, METER_RTU, METER_TCP };

struct meter_spec {
	enum meter_kind kind;
	char device[128]; /* RTU */
	int baud;	  /* RTU */
	char parity;	  /* RTU: 'N', 'E' or 'O' */
	int address;	  /* RTU slave address 1-247; TCP unit id 0-247, 255 */
	char host[128];	  /* TCP */
	int port;	  /* TCP */
	const struct mm_model *model;
};

/* Parse a meter.site value: none, sim,
 * modbus-rtu:DEVICE:BAUD:PARITY:ADDRESS:MODEL or
 * modbus-tcp:HOST:PORT:UNIT:MODEL. false with err naming what is wrong. */
bool meter_spec_parse(const char *text, struct meter_spec *out, char *err, size_t errlen);

#endif
