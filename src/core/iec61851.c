/* SPDX-License-Identifier: MIT */
/*
 * IEC 61851-1 arithmetic: CP level names, Annex A duty <-> current, PP
 * resistance <-> cable rating. No state.
 */
#include "iec61851.h"

#include <math.h>
#include <string.h>

static const char *const cp_names[] = {"A", "B", "C", "D", "E", "F", "invalid"};

const char *iec_cp_name(enum iec_cp cp)
{
	if ((unsigned)cp > IEC_CP_INVALID)
		return "invalid";
	return cp_names[cp];
}

bool iec_cp_parse(const char *s, enum iec_cp *out)
{
	for (int i = IEC_CP_A; i <= IEC_CP_F; i++) {
		if (strcmp(s, cp_names[i]) == 0) {
			*out = (enum iec_cp)i;
			return true;
		}
	}
	return false;
}

const char *iec_cp_state_name(enum iec_cp cp, bool pwm_on)
{
	switch (cp) {
	case IEC_CP_B:
		return pwm_on ? "B2" : "B1";
	case IEC_CP_C:
		return pwm_on ? "C2" : "C1";
	case IEC_CP_D:
		return pwm_on ? "D2" : "D1";
	default:
		return iec_cp_name(cp);
	}
}

int iec_duty_from_current(double current_a)
{
	if (!(current_a >= IEC_MIN_CURRENT_A))
		return IEC_DUTY_OFF;
	if (current_a > IEC_MAX_CURRENT_A)
		current_a = IEC_MAX_CURRENT_A;
	double pct = current_a <= 51.0 ? current_a / 0.6 : current_a / 2.5 + 64.0;
	/* The PWM has 0.1 % steps; round down so that what the EV reads never
	 * exceeds the current offered (the epsilon absorbs binary fractions). */
	return (int)floor(pct * 10.0 + 1e-6);
}

double iec_current_from_duty(int duty)
{
	/* Annex A: 8 % <= duty < 10 %: 6 A; 10 % <= duty <= 85 %:
	 * I = duty * 0.6; 85 % < duty <= 96 %: I = (duty - 64) * 2.5;
	 * 96 % < duty <= 97 %: 80 A; otherwise none. */
	if (duty < 80 || duty > 970)
		return 0.0;
	double pct = duty / 10.0;
	if (pct < 10.0)
		return IEC_MIN_CURRENT_A;
	if (pct <= 85.0)
		return pct * 0.6;
	if (pct <= 96.0)
		return (pct - 64.0) * 2.5;
	return 80.0;
}

struct pp_band {
	double lo, hi, rating;
};

/* IEC 61851-1 Table B.2 detection ranges (ohms). */
static const struct pp_band pp_bands[] = {
    {1100.0, 2460.0, 13.0},
    {400.0, 936.0, 20.0},
    {164.0, 308.0, 32.0},
    {80.0, 140.0, 63.0},
};

double iec_pp_rating(double ohms)
{
	for (size_t i = 0; i < sizeof pp_bands / sizeof pp_bands[0]; i++)
		if (ohms >= pp_bands[i].lo && ohms <= pp_bands[i].hi)
			return pp_bands[i].rating;
	return 0.0;
}

double iec_pp_ohms(double rating_a)
{
	static const double ohms[] = {1500.0, 680.0, 220.0, 100.0};
	for (size_t i = 0; i < sizeof ohms / sizeof ohms[0]; i++)
		if (fabs(pp_bands[i].rating - rating_a) < 0.01)
			return ohms[i];
	return 0.0;
}
