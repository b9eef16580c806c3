/* SPDX-License-Identifier: MIT */
/*
 * The shape of the OCPP 1.6 schema tables (private to schema.c and
 * schema_table.c). A message is an object: a list of fields, each with its
 * JSON type and constraints; nested objects and arrays point at further
 * objects. Nothing here validates; schema.c walks these rows.
 */
#ifndef EVSED_OCPP_SCHEMA_TABLE_H
#define EVSED_OCPP_SCHEMA_TABLE_H

#include <stdbool.h>
#include <stddef.h>

enum sch_type {
	SCH_STRING,   /* CiString / string: max_len in characters, 0 = no limit */
	SCH_INTEGER,  /* JSON integer (a real without a fraction also counts) */
	SCH_NUMBER,   /* any JSON number; decimal1: a multiple of 0.1 */
	SCH_BOOLEAN,  /* true / false */
	SCH_DATETIME, /* string, RFC 3339 date-time */
	SCH_URI,      /* string, RFC 3986 URI (anyURI) */
	SCH_ENUM,     /* string, one of values */
	SCH_OBJECT,   /* object with the fields of obj */
};

struct sch_object;

struct sch_field {
	const char *name;
	unsigned char type; /* enum sch_type; of the items if array */
	bool required;
	bool array;		      /* a JSON array of type */
	bool decimal1;		      /* SCH_NUMBER: multipleOf 0.1 */
	unsigned char min_items;      /* array: minimum number of items */
	unsigned short max_len;	      /* SCH_STRING */
	const char *const *values;    /* SCH_ENUM: NULL-terminated */
	const struct sch_object *obj; /* SCH_OBJECT */
};

struct sch_object {
	const struct sch_field *fields;
	size_t n;
};

struct sch_action {
	const char *name;
	const struct sch_object *req, *conf;
};

/* The action's row, or NULL if action is not an OCPP 1.6 action. */
const struct sch_action *ocpp_schema_find(const char *action);
/* All rows, sorted by name; *n receives the count. */
const struct sch_action *ocpp_schema_actions(size_t *n);

#endif
