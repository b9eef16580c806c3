/* SPDX-License-Identifier: MIT */
/* The fault table rows. */
#include "fault.h"

#include <string.h>

/* clang-format off */
static const struct fault_def faults[FAULT_COUNT] = {
	[FAULT_OVERCURRENT]   = {"overcurrent",   false, true,  "OverCurrentFailure",   "OCP", "ERR OCP", "over-current"},
	[FAULT_OVERVOLTAGE]   = {"overvoltage",   true,  true,  "OverVoltage",          "OVP", "ERR OVP", "over-voltage"},
	[FAULT_UNDERVOLTAGE]  = {"undervoltage",  true,  true,  "UnderVoltage",         "LVP", "ERR LVP", "under-voltage"},
	[FAULT_OVERTEMP]      = {"overtemp",      false, true,  "HighTemperature",      "ROT", "ERR ROT", "over-temperature"},
	[FAULT_RCD]           = {"rcd",           false, true,  "GroundFailure",        "IRD", "ERR IRD", "residual current trip"},
	[FAULT_GROUND]        = {"ground",        true,  true,  "GroundFailure",        "PE",  "ERR PE",  "ground / PE fault"},
	[FAULT_CP]            = {"cp",            false, true,  "OtherError",           "CP",  "ERR CP",  "control pilot voltage error"},
	[FAULT_DIODE]         = {"diode",         false, true,  "OtherError",           "DIODE", "ERR CP", "EV diode missing"},
	[FAULT_RELAY_WELDED]  = {"relay_welded",  false, true,  "PowerSwitchFailure",   "R12", "ERR R12", "relay welded"},
	[FAULT_LOCK]          = {"lock",          false, true,  "ConnectorLockFailure", "ELK", "ERR ELK", "socket lock failure"},
	[FAULT_FAN]           = {"fan",           true,  false, "OtherError",           "FAN", "ERR FAN", "fan failure"},
	[FAULT_MISSING_PHASE] = {"missing_phase", true,  true,  "OtherError",           "MIS", "ERR MIS", "missing phase"},
	[FAULT_PP]            = {"pp",            false, true,  "OtherError",           "PP",  "ERR PP",  "proximity pilot unreliable"},
	[FAULT_METER_TIMEOUT] = {"meter_timeout", false, false, "PowerMeterFailure",    "MET", "ERR MET", "meter read time out"},
	[FAULT_READER]        = {"reader",        true,  false, "ReaderFailure",        "RDR", "",        "RFID reader failure"},
	[FAULT_STORAGE]       = {"storage",       true,  false, "InternalError",        "EEP", "",        "storage corrupt"},
	[FAULT_TILT]          = {"tilt",          true,  true,  "OtherError",           "TILT", "",       "tilt / bump detected"},
};
/* clang-format on */

const struct fault_def *fault_def(enum fault_id id)
{
	if ((unsigned)id >= FAULT_COUNT)
		return NULL;
	return &faults[id];
}

bool fault_find(const char *name, enum fault_id *out)
{
	for (int i = 0; i < FAULT_COUNT; i++) {
		if (strcmp(faults[i].name, name) == 0) {
			*out = (enum fault_id)i;
			return true;
		}
	}
	return false;
}
