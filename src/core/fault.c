/* SPDX-License-Identifier: MIT */
/*
 * The fault table rows: io7 troubleshooting (section 8), MQ200 auto restart
 * (9.4.2) and LEDs (9.1), EVPLUS display codes (7.1.2) and protections (5).
 */
#include "fault.h"

#include <string.h>

#define W SEV_WARNING
#define E SEV_ERROR
#define C SEV_CRITICAL

/* clang-format off */
static const struct fault_def faults[FAULT_COUNT] = {
	/*                      name            wide   blocks sev restart             rec  retry max  OCPP errorCode          vendor  io7 LED                display    text */
	[FAULT_OVERCURRENT]   = {"overcurrent",   false, true,  E, RESTART_RECOVERY,   30,   0,   3, "OverCurrentFailure",   "OCP",  "red-blue-magenta",    "ERR OCP", "over-current"},
	[FAULT_OVERVOLTAGE]   = {"overvoltage",   true,  true,  E, RESTART_WHEN_CLEAR,  0,   0,   0, "OverVoltage",          "OVP",  "red-white-green",     "ERR OVP", "over-voltage"},
	[FAULT_UNDERVOLTAGE]  = {"undervoltage",  true,  true,  E, RESTART_WHEN_CLEAR,  0,   0,   0, "UnderVoltage",         "LVP",  "red-white-green",     "ERR LVP", "under-voltage"},
	[FAULT_OVERTEMP]      = {"overtemp",      false, true,  E, RESTART_WHEN_CLEAR,  0,   0,   0, "HighTemperature",      "ROT",  "red-white-yellow",    "ERR ROT", "relay over-temperature"},
	[FAULT_RCD]           = {"rcd",           false, true,  C, RESTART_REGION_RCD,  0, 900,   3, "GroundFailure",        "IRD",  "red-blue-magenta",    "ERR IRD", "residual current AC 30 mA"},
	[FAULT_GROUND]        = {"ground",        true,  true,  C, RESTART_WHEN_CLEAR,  0,   0,   0, "GroundFailure",        "PE",   "red-yellow",          "ERR PE",  "ground / PE fault"},
	[FAULT_CP]            = {"cp",            false, true,  E, RESTART_WHEN_CLEAR,  0,   0,   0, "OtherError",           "CP",   "red-green",           "ERR CP",  "control pilot voltage error"},
	[FAULT_DIODE]         = {"diode",         false, true,  E, RESTART_WHEN_CLEAR,  0,   0,   0, "OtherError",           "DIODE", "red-blue",           "ERR CP",  "EV diode missing"},
	[FAULT_RELAY_WELDED]  = {"relay_welded",  false, true,  C, RESTART_MANUAL,      0,   0,   0, "PowerSwitchFailure",   "R12",  "red-yellow",          "ERR R12", "relay 1 welded"},
	[FAULT_LOCK]          = {"lock",          false, true,  E, RESTART_WHEN_CLEAR,  0,   0,   0, "ConnectorLockFailure", "ELK",  "red-yellow",          "ERR ELK", "socket lock failure"},
	[FAULT_FAN]           = {"fan",           true,  false, W, RESTART_WHEN_CLEAR,  0,   0,   0, "OtherError",           "FAN",  "red-yellow",          "ERR FAN", "fan failure"},
	[FAULT_MISSING_PHASE] = {"missing_phase", true,  true,  E, RESTART_WHEN_CLEAR,  0,   0,   0, "OtherError",           "MIS",  "red-yellow",          "ERR MIS", "missing phase"},
	[FAULT_PP]            = {"pp",            false, true,  E, RESTART_WHEN_CLEAR,  0,   0,   0, "OtherError",           "PP",   "red-yellow",          "ERR PP",  "proximity pilot unreliable"},
	[FAULT_METER_TIMEOUT] = {"meter_timeout", false, false, W, RESTART_WHEN_CLEAR,  0,   0,   0, "PowerMeterFailure",    "MET",  "red-magenta",         "ERR MET", "meter read time out"},
	[FAULT_READER]        = {"reader",        true,  false, W, RESTART_WHEN_CLEAR,  0,   0,   0, "ReaderFailure",        "RDR",  "red-green-blue",      "",        "RFID reader failure"},
	[FAULT_STORAGE]       = {"storage",       true,  false, W, RESTART_WHEN_CLEAR,  0,   0,   0, "InternalError",        "EEP",  "red-magenta-green",   "",        "storage corrupt"},
	[FAULT_TILT]          = {"tilt",          true,  true,  C, RESTART_MANUAL,      0,   0,   0, "OtherError",           "TILT", "yellow-green",        "",        "tilted: tamper state"},
	[FAULT_OVERTEMP_SOCKET] = {"overtemp_socket", false, true, E, RESTART_WHEN_CLEAR, 0,  0,   0, "HighTemperature",      "OCT",  "red-white-yellow",    "ERR OCT", "socket / plug over-temperature"},
	[FAULT_OVERTEMP_AMBIENT] = {"overtemp_ambient", true, true, E, RESTART_WHEN_CLEAR, 0,  0,   0, "HighTemperature",      "AOT",  "red-white-yellow",    "ERR ROT", "ambient over-temperature"},
	[FAULT_RCD_DC]        = {"rcd_dc",        false, true,  C, RESTART_REGION_RCD,  0, 900,   3, "GroundFailure",        "IRD6", "red-blue-magenta",    "ERR IRD", "residual current DC 6 mA"},
	[FAULT_OPEN_PEN]      = {"open_pen",      true,  true,  C, RESTART_WHEN_CLEAR,  0,   0,   0, "GroundFailure",        "PEN",  "red-yellow",          "ERR PE",  "open PEN (PME) detected"},
	[FAULT_RELAY_WELDED_N] = {"relay_welded_n", false, true, C, RESTART_MANUAL,     0,   0,   0, "PowerSwitchFailure",   "R3N",  "red-yellow",          "ERR R3N", "relay 2 (L3 / N) welded"},
	[FAULT_RESET]         = {"reset_failure", true,  false, W, RESTART_WHEN_CLEAR,  0,   0,   0, "ResetFailure",         "RST",  "red-blue-yellow",     "",        "reset failure"},
	[FAULT_UNDER_CURRENT] = {"under_current", false, false, W, RESTART_WHEN_CLEAR,  0,   0,   0, "OtherError",           "UC",   "red-yellow-magenta",  "",        "EV draws less than offered"},
	[FAULT_BUMP]          = {"bump",          true,  true,  C, RESTART_MANUAL,      0,   0,   0, "OtherError",           "BUMP", "red-white-blue",      "",        "bump detected"},
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
