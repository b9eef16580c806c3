/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for everything evsed does with a received OCPP-J text
 * frame before an operation sees it: ocpp_frame_parse on arbitrary bytes;
 * for a CALL, ocpp_schema_validate of its payload as the action's request
 * and confirmation, and the CALLERROR answer built and parsed back; for a
 * CALLRESULT, validation as the confirmation of every action. Besides
 * ASan / UBSan / LeakSanitizer it checks the module's promises and aborts
 * when one breaks: an answer always has a code and an id, the answer frame
 * always builds and reads back as sent, a frame evsed builds from a parsed
 * CALL parses back to the same id, action and payload.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/ocpp/rpc.h"
#include "core/ocpp/schema.h"
#include "core/ocpp/schema_table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The CALLERROR evsed would send: it must build and read back as sent. */
static void answer(const char *id, enum ocpp_err code, const char *desc)
{
	if (code == OE_NONE || !id[0])
		abort();
	char *frame = ocpp_build_error(id, code, desc);
	if (!frame)
		abort();
	struct ocpp_frame f;
	enum ocpp_err err;
	if (ocpp_frame_parse(frame, strlen(frame), &f, &err, NULL, 0) != OP_OK ||
	    f.type != OCPP_CALLERROR || strcmp(f.id, id) != 0 || f.err != code)
		abort();
	ocpp_frame_clear(&f);
	free(frame);
}

/* A CALL built from a parsed one parses back to the same parts. */
static void round_trip(const struct ocpp_frame *in)
{
	if (!in->action[0])
		return;
	char *frame = ocpp_build_call(in->id, in->action, in->payload);
	if (!frame)
		return; /* longer than OCPP_FRAME_MAX once re-encoded ("1e5" -> "100000.0") */
	struct ocpp_frame f;
	enum ocpp_err err;
	if (ocpp_frame_parse(frame, strlen(frame), &f, &err, NULL, 0) != OP_OK ||
	    f.type != OCPP_CALL || strcmp(f.id, in->id) != 0 || strcmp(f.action, in->action) != 0 ||
	    !json_equal(f.payload, in->payload))
		abort();
	ocpp_frame_clear(&f);
	free(frame);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ocpp_frame f;
	enum ocpp_err err;
	char msg[256], vmsg[512];
	enum ocpp_parse r = ocpp_frame_parse((const char *)data, size, &f, &err, msg, sizeof msg);
	if (r == OP_ANSWER) {
		if (f.type != OCPP_CALL || f.payload)
			abort();
		answer(f.id, err, msg);
	} else if (r == OP_OK && f.type == OCPP_CALL) {
		enum ocpp_err e =
		    ocpp_schema_validate(f.action, OCPP_REQ, f.payload, vmsg, sizeof vmsg);
		if ((e == OE_NOT_IMPLEMENTED) == ocpp_schema_known(f.action))
			abort();
		if (e != OE_NONE)
			answer(f.id, e, vmsg);
		(void)ocpp_schema_validate(f.action, OCPP_CONF, f.payload, vmsg, sizeof vmsg);
		round_trip(&f);
	} else if (r == OP_OK && f.type == OCPP_CALLRESULT) {
		size_t n;
		const struct sch_action *a = ocpp_schema_actions(&n);
		for (size_t i = 0; i < n; i++)
			(void)ocpp_schema_validate(a[i].name, OCPP_CONF, f.payload, vmsg,
						   sizeof vmsg);
	}
	ocpp_frame_clear(&f);
	return 0;
}
