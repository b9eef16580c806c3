/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the OCPP 1.6 schema validator. Realistic example payloads
 * for the request and the confirmation of every action must pass. A second,
 * independent statement of the specification (the required fields, the
 * string / array rules of every field and every enumeration's values,
 * written here by hand) is cross-checked against the validator by mutating
 * every field of every example: removing it, giving it the wrong JSON type,
 * adding an unknown property beside it, stretching strings past their
 * length, trying every enumeration value and a wrong one, fractions in
 * integers, empty arrays. Tables of invalid payloads check each error class
 * with its exact code and message; date-times and URIs have their own
 * tables. Needs no network and no file: the official JSON schemas are not
 * read here.
 */
#include "vclock.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ocpp/schema.h"

/* JSON written with ' for " (no apostrophes in the values). */
static json_t *load(const char *single_quoted)
{
	size_t n = strlen(single_quoted);
	char *t = malloc(n + 1);
	assert_non_null(t);
	for (size_t i = 0; i <= n; i++)
		t[i] = single_quoted[i] == '\'' ? '"' : single_quoted[i];
	json_error_t je;
	json_t *j = json_loads(t, JSON_REJECT_DUPLICATES, &je);
	if (!j)
		fail_msg("bad test JSON %s: %s", t, je.text);
	free(t);
	return j;
}

static const char *dir_name(enum ocpp_dir d)
{
	return d == OCPP_REQ ? "req" : "conf";
}

/* ---- the actions ------------------------------------------------------- */

static const char *const actions[] = {
    /* Core */
    "Authorize", "BootNotification", "ChangeAvailability", "ChangeConfiguration", "ClearCache",
    "DataTransfer", "GetConfiguration", "Heartbeat", "MeterValues", "RemoteStartTransaction",
    "RemoteStopTransaction", "Reset", "StartTransaction", "StatusNotification", "StopTransaction",
    "UnlockConnector",
    /* Firmware Management */
    "GetDiagnostics", "DiagnosticsStatusNotification", "FirmwareStatusNotification",
    "UpdateFirmware",
    /* Local Auth List Management */
    "GetLocalListVersion", "SendLocalList",
    /* Reservation */
    "CancelReservation", "ReserveNow",
    /* Smart Charging */
    "ClearChargingProfile", "GetCompositeSchedule", "SetChargingProfile",
    /* Remote Trigger */
    "TriggerMessage",
    /* the security extension's actions (C12) */
    "ExtendedTriggerMessage", "GetLog", "LogStatusNotification", "SecurityEventNotification",
    "InstallCertificate", "GetInstalledCertificateIds", "DeleteCertificate", "SignedUpdateFirmware",
    "SignedFirmwareStatusNotification", "SignCertificate", "CertificateSigned"};
#define N_ACTIONS (sizeof actions / sizeof actions[0])

static void every_action_is_known(void **state)
{
	(void)state;
	assert_int_equal(N_ACTIONS, 39);
	for (size_t i = 0; i < N_ACTIONS; i++)
		if (!ocpp_schema_known(actions[i]))
			fail_msg("%s is not known", actions[i]);
	/* Not 1.6: 2.0.1's actions, other spellings. */
	static const char *const unknown[] = {"SignCertificateRequest",
					      "GetCertificateStatus",
					      "SignedUpdateFirmware.req",
					      "TransactionEvent",
					      "heartbeat",
					      "HEARTBEAT",
					      "Heartbeat ",
					      " Heartbeat",
					      "Heartbeat.req",
					      "",
					      "BootNotificationRequest",
					      "Authorise"};
	for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
		if (ocpp_schema_known(unknown[i]))
			fail_msg("'%s' is known", unknown[i]);
	assert_false(ocpp_schema_known(NULL));
}

/* ---- realistic examples ------------------------------------------------- */

static const struct example {
	const char *action;
	enum ocpp_dir dir;
	const char *json;
} examples[] = {
    {"Authorize", OCPP_REQ, "{'idTag':'04E91C5A123456'}"},
    {"Authorize", OCPP_CONF,
     "{'idTagInfo':{'expiryDate':'2026-12-31T23:59:59Z','parentIdTag':'FLEET-0042',"
     "'status':'Accepted'}}"},
    {"Authorize", OCPP_CONF, "{'idTagInfo':{'status':'Invalid'}}"},
    {"BootNotification", OCPP_REQ,
     "{'chargePointVendor':'evsed','chargePointModel':'EVSED-AC22',"
     "'chargePointSerialNumber':'EVSED000001','chargeBoxSerialNumber':'EVSED000001-CB',"
     "'firmwareVersion':'0.1.0+g72f94a2','iccid':'89310410106543789301',"
     "'imsi':'204043123456789','meterType':'Eastron SDM630',"
     "'meterSerialNumber':'SDM630-12345678'}"},
    {"BootNotification", OCPP_REQ,
     "{'chargePointVendor':'VendorX','chargePointModel':'SingleSocketCharger'}"},
    {"BootNotification", OCPP_CONF,
     "{'status':'Accepted','currentTime':'2013-02-01T20:53:32.486Z','interval':300}"},
    {"BootNotification", OCPP_CONF,
     "{'status':'Pending','currentTime':'2026-01-01T12:00:00+01:00','interval':0}"},
    {"CancelReservation", OCPP_REQ, "{'reservationId':42}"},
    {"CancelReservation", OCPP_CONF, "{'status':'Rejected'}"},
    {"ChangeAvailability", OCPP_REQ, "{'connectorId':1,'type':'Inoperative'}"},
    {"ChangeAvailability", OCPP_REQ, "{'connectorId':0,'type':'Operative'}"},
    {"ChangeAvailability", OCPP_CONF, "{'status':'Scheduled'}"},
    {"ChangeConfiguration", OCPP_REQ, "{'key':'HeartbeatInterval','value':'600'}"},
    {"ChangeConfiguration", OCPP_REQ,
     "{'key':'MeterValuesSampledData','value':'Energy.Active.Import.Register,Current.Import,"
     "Voltage'}"},
    {"ChangeConfiguration", OCPP_CONF, "{'status':'RebootRequired'}"},
    {"ClearCache", OCPP_REQ, "{}"},
    {"ClearCache", OCPP_CONF, "{'status':'Accepted'}"},
    {"ClearChargingProfile", OCPP_REQ,
     "{'id':7,'connectorId':1,'chargingProfilePurpose':'TxDefaultProfile','stackLevel':0}"},
    {"ClearChargingProfile", OCPP_REQ, "{}"},
    {"ClearChargingProfile", OCPP_CONF, "{'status':'Unknown'}"},
    {"DataTransfer", OCPP_REQ,
     "{'vendorId':'com.example.evsed','messageId':'SetDisplayText',"
     "'data':'text=Welcome;lang=en'}"},
    {"DataTransfer", OCPP_REQ, "{'vendorId':'com.example.evsed'}"},
    {"DataTransfer", OCPP_CONF, "{'status':'Accepted','data':'shown'}"},
    {"DataTransfer", OCPP_CONF, "{'status':'UnknownVendorId'}"},
    {"DiagnosticsStatusNotification", OCPP_REQ, "{'status':'Uploading'}"},
    {"DiagnosticsStatusNotification", OCPP_CONF, "{}"},
    {"FirmwareStatusNotification", OCPP_REQ, "{'status':'Installed'}"},
    {"FirmwareStatusNotification", OCPP_CONF, "{}"},
    {"GetCompositeSchedule", OCPP_REQ, "{'connectorId':1,'duration':3600,'chargingRateUnit':'A'}"},
    {"GetCompositeSchedule", OCPP_REQ, "{'connectorId':0,'duration':86400}"},
    {"GetCompositeSchedule", OCPP_CONF,
     "{'status':'Accepted','connectorId':1,'scheduleStart':'2026-01-01T12:00:00Z',"
     "'chargingSchedule':{'duration':3600,'startSchedule':'2026-01-01T12:00:00Z',"
     "'chargingRateUnit':'A','chargingSchedulePeriod':[{'startPeriod':0,'limit':16.0,"
     "'numberPhases':3},{'startPeriod':1800,'limit':10.5}],'minChargingRate':6.0}}"},
    {"GetCompositeSchedule", OCPP_CONF, "{'status':'Rejected'}"},
    {"GetConfiguration", OCPP_REQ, "{'key':['HeartbeatInterval','MeterValueSampleInterval']}"},
    {"GetConfiguration", OCPP_REQ, "{}"},
    {"GetConfiguration", OCPP_CONF,
     "{'configurationKey':[{'key':'HeartbeatInterval','readonly':false,'value':'300'},"
     "{'key':'NumberOfConnectors','readonly':true,'value':'2'},"
     "{'key':'AuthorizationKey','readonly':false}],'unknownKey':['VendorSpecificKey']}"},
    {"GetConfiguration", OCPP_CONF, "{'configurationKey':[],'unknownKey':[]}"},
    {"GetDiagnostics", OCPP_REQ,
     "{'location':'ftp://diag:secret@ftp.example.com/uploads/','retries':3,"
     "'retryInterval':60,'startTime':'2026-01-01T00:00:00Z','stopTime':'2026-01-02T00:00:00Z'}"},
    {"GetDiagnostics", OCPP_REQ, "{'location':'https://csms.example.com/diagnostics/upload'}"},
    {"GetDiagnostics", OCPP_CONF, "{'fileName':'diagnostics-EVSED000001-20260101.tar.gz'}"},
    {"GetDiagnostics", OCPP_CONF, "{}"},
    {"GetLocalListVersion", OCPP_REQ, "{}"},
    {"GetLocalListVersion", OCPP_CONF, "{'listVersion':12}"},
    {"GetLocalListVersion", OCPP_CONF, "{'listVersion':-1}"},
    {"Heartbeat", OCPP_REQ, "{}"},
    {"Heartbeat", OCPP_CONF, "{'currentTime':'2026-01-01T12:00:00Z'}"},
    {"MeterValues", OCPP_REQ,
     "{'connectorId':1,'transactionId':1234,'meterValue':[{'timestamp':'2026-01-01T12:15:00Z',"
     "'sampledValue':[{'value':'4123.5','context':'Sample.Periodic','format':'Raw',"
     "'measurand':'Energy.Active.Import.Register','phase':'L1','location':'Outlet','unit':'Wh'},"
     "{'value':'15.9','context':'Sample.Periodic','measurand':'Current.Import','phase':'L2',"
     "'location':'Outlet','unit':'A'},{'value':'231.2','measurand':'Voltage','phase':'L1-N',"
     "'unit':'V'},{'value':'41','measurand':'Temperature','location':'Body','unit':'Celsius'},"
     "{'value':'78','measurand':'SoC','location':'EV','unit':'Percent'}]}]}"},
    {"MeterValues", OCPP_REQ,
     "{'connectorId':0,'meterValue':[{'timestamp':'2026-01-01T12:00:00Z',"
     "'sampledValue':[{'value':'12345678'}]},{'timestamp':'2026-01-01T12:15:00Z',"
     "'sampledValue':[{'value':'12349012','context':'Sample.Clock'}]}]}"},
    {"MeterValues", OCPP_CONF, "{}"},
    {"RemoteStartTransaction", OCPP_REQ,
     "{'connectorId':1,'idTag':'04E91C5A123456','chargingProfile':{'chargingProfileId':100,"
     "'stackLevel':0,'chargingProfilePurpose':'TxProfile','chargingProfileKind':'Relative',"
     "'validFrom':'2026-01-01T00:00:00Z','validTo':'2026-12-31T23:59:59Z',"
     "'chargingSchedule':{'duration':7200,'chargingRateUnit':'W',"
     "'chargingSchedulePeriod':[{'startPeriod':0,'limit':11000.0,'numberPhases':3}],"
     "'minChargingRate':1380.0}}}"},
    {"RemoteStartTransaction", OCPP_REQ,
     "{'connectorId':2,'idTag':'04E91C5A123456','chargingProfile':{'chargingProfileId':101,"
     "'stackLevel':1,'chargingProfilePurpose':'TxProfile','chargingProfileKind':'Recurring',"
     "'recurrencyKind':'Daily','chargingSchedule':{'duration':86400,"
     "'startSchedule':'2026-01-01T00:00:00Z','chargingRateUnit':'A','chargingSchedulePeriod':"
     "[{'startPeriod':0,'limit':16.0},{'startPeriod':28800,'limit':8.0,'numberPhases':1}]}}}"},
    {"RemoteStartTransaction", OCPP_REQ, "{'idTag':'04E91C5A123456'}"},
    {"RemoteStartTransaction", OCPP_CONF, "{'status':'Accepted'}"},
    {"RemoteStopTransaction", OCPP_REQ, "{'transactionId':1234}"},
    {"RemoteStopTransaction", OCPP_CONF, "{'status':'Rejected'}"},
    {"ReserveNow", OCPP_REQ,
     "{'connectorId':1,'expiryDate':'2026-01-01T13:00:00Z','idTag':'04E91C5A123456',"
     "'parentIdTag':'FLEET-0042','reservationId':42}"},
    {"ReserveNow", OCPP_CONF, "{'status':'Occupied'}"},
    {"Reset", OCPP_REQ, "{'type':'Soft'}"},
    {"Reset", OCPP_CONF, "{'status':'Accepted'}"},
    {"SendLocalList", OCPP_REQ,
     "{'listVersion':13,'localAuthorizationList':[{'idTag':'04E91C5A123456',"
     "'idTagInfo':{'expiryDate':'2027-01-01T00:00:00Z','parentIdTag':'FLEET-0042',"
     "'status':'Accepted'}},{'idTag':'DEADBEEF01'}],'updateType':'Differential'}"},
    {"SendLocalList", OCPP_REQ,
     "{'listVersion':1,'localAuthorizationList':[],'updateType':'Full'}"},
    {"SendLocalList", OCPP_CONF, "{'status':'VersionMismatch'}"},
    {"SetChargingProfile", OCPP_REQ,
     "{'connectorId':1,'csChargingProfiles':{'chargingProfileId':12,'transactionId':1234,"
     "'stackLevel':1,'chargingProfilePurpose':'TxProfile','chargingProfileKind':'Absolute',"
     "'validFrom':'2026-01-01T12:00:00Z','validTo':'2026-01-01T18:00:00Z',"
     "'chargingSchedule':{'duration':21600,'startSchedule':'2026-01-01T12:00:00Z',"
     "'chargingRateUnit':'A','chargingSchedulePeriod':[{'startPeriod':0,'limit':32.0,"
     "'numberPhases':3},{'startPeriod':3600,'limit':16.0,'numberPhases':1}],"
     "'minChargingRate':6.0}}}"},
    {"SetChargingProfile", OCPP_REQ,
     "{'connectorId':0,'csChargingProfiles':{'chargingProfileId':1,'stackLevel':0,"
     "'chargingProfilePurpose':'TxDefaultProfile','chargingProfileKind':'Recurring',"
     "'recurrencyKind':'Daily','chargingSchedule':{'duration':86400,"
     "'startSchedule':'2026-01-01T00:00:00Z','chargingRateUnit':'W',"
     "'chargingSchedulePeriod':[{'startPeriod':0,'limit':11000.0},{'startPeriod':25200,"
     "'limit':7400.0},{'startPeriod':79200,'limit':11000.0}]}}}"},
    {"SetChargingProfile", OCPP_REQ,
     "{'connectorId':0,'csChargingProfiles':{'chargingProfileId':2,'stackLevel':0,"
     "'chargingProfilePurpose':'ChargePointMaxProfile','chargingProfileKind':'Absolute',"
     "'chargingSchedule':{'startSchedule':'2026-01-01T00:00:00Z','chargingRateUnit':'A',"
     "'chargingSchedulePeriod':[{'startPeriod':0,'limit':25.5}]}}}"},
    {"SetChargingProfile", OCPP_CONF, "{'status':'NotSupported'}"},
    {"StartTransaction", OCPP_REQ,
     "{'connectorId':1,'idTag':'04E91C5A123456','meterStart':1234567,'reservationId':42,"
     "'timestamp':'2026-01-01T12:00:00Z'}"},
    {"StartTransaction", OCPP_CONF,
     "{'idTagInfo':{'expiryDate':'2026-12-31T23:59:59Z','parentIdTag':'FLEET-0042',"
     "'status':'Accepted'},'transactionId':1234}"},
    {"StartTransaction", OCPP_CONF, "{'idTagInfo':{'status':'ConcurrentTx'},'transactionId':0}"},
    {"StatusNotification", OCPP_REQ,
     "{'connectorId':1,'errorCode':'NoError','info':'cable locked','status':'Charging',"
     "'timestamp':'2026-01-01T12:00:05Z','vendorId':'com.example.evsed',"
     "'vendorErrorCode':'E000'}"},
    {"StatusNotification", OCPP_REQ,
     "{'connectorId':2,'errorCode':'GroundFailure','status':'Faulted',"
     "'vendorErrorCode':'RCD-30mA'}"},
    {"StatusNotification", OCPP_CONF, "{}"},
    {"StopTransaction", OCPP_REQ,
     "{'idTag':'04E91C5A123456','meterStop':1250000,'timestamp':'2026-01-01T13:00:00Z',"
     "'transactionId':1234,'reason':'Local','transactionData':[{'timestamp':"
     "'2026-01-01T12:00:00Z','sampledValue':[{'value':'1234567','context':'Transaction.Begin',"
     "'format':'Raw','measurand':'Energy.Active.Import.Register','phase':'L1',"
     "'location':'Outlet','unit':'Wh'}]},{'timestamp':'2026-01-01T13:00:00Z',"
     "'sampledValue':[{'value':'1250.0','context':'Transaction.End',"
     "'measurand':'Energy.Active.Import.Register','unit':'kWh'}]}]}"},
    {"StopTransaction", OCPP_REQ,
     "{'meterStop':1250000,'timestamp':'2026-01-01T13:00:00Z','transactionId':1234,"
     "'reason':'EVDisconnected'}"},
    {"StopTransaction", OCPP_CONF,
     "{'idTagInfo':{'expiryDate':'2026-12-31T23:59:59Z','parentIdTag':'FLEET-0042',"
     "'status':'Accepted'}}"},
    {"StopTransaction", OCPP_CONF, "{}"},
    {"TriggerMessage", OCPP_REQ, "{'requestedMessage':'StatusNotification','connectorId':1}"},
    {"TriggerMessage", OCPP_REQ, "{'requestedMessage':'BootNotification'}"},
    {"TriggerMessage", OCPP_CONF, "{'status':'NotImplemented'}"},
    /* the security extension (C12) */
    {"ExtendedTriggerMessage", OCPP_REQ,
     "{'requestedMessage':'LogStatusNotification','connectorId':1}"},
    {"ExtendedTriggerMessage", OCPP_CONF, "{'status':'Accepted'}"},
    {"GetLog", OCPP_REQ,
     "{'log':{'remoteLocation':'ftp://logs.example/','oldestTimestamp':'2026-01-01T00:00:00Z',"
     "'latestTimestamp':'2026-01-02T00:00:00Z'},'logType':'SecurityLog','requestId':7,"
     "'retries':2,'retryInterval':30}"},
    {"GetLog", OCPP_CONF, "{'status':'Accepted','filename':'security.log'}"},
    {"LogStatusNotification", OCPP_REQ, "{'status':'Uploading','requestId':7}"},
    {"LogStatusNotification", OCPP_CONF, "{}"},
    {"SecurityEventNotification", OCPP_REQ,
     "{'type':'StartupOfTheDevice','timestamp':'2026-01-01T00:00:00Z','techInfo':'evsed'}"},
    {"SecurityEventNotification", OCPP_CONF, "{}"},
    {"InstallCertificate", OCPP_REQ,
     "{'certificateType':'CentralSystemRootCertificate','certificate':'-----BEGIN "
     "CERTIFICATE-----'}"},
    {"InstallCertificate", OCPP_CONF, "{'status':'Rejected'}"},
    {"GetInstalledCertificateIds", OCPP_REQ, "{'certificateType':'ManufacturerRootCertificate'}"},
    {"GetInstalledCertificateIds", OCPP_CONF,
     "{'certificateHashData':[{'hashAlgorithm':'SHA256','issuerNameHash':'5db2ce',"
     "'issuerKeyHash':'d7b3c8','serialNumber':'a1b2c'}],'status':'Accepted'}"},
    {"DeleteCertificate", OCPP_REQ,
     "{'certificateHashData':{'hashAlgorithm':'SHA384','issuerNameHash':'5db2ce',"
     "'issuerKeyHash':'d7b3c8','serialNumber':'a1b2c'}}"},
    {"DeleteCertificate", OCPP_CONF, "{'status':'NotFound'}"},
    {"SignedUpdateFirmware", OCPP_REQ,
     "{'retries':1,'retryInterval':30,'requestId':5,'firmware':{'location':'ftp://fw/x.img',"
     "'retrieveDateTime':'2026-01-01T00:00:00Z','installDateTime':'2026-01-01T01:00:00Z',"
     "'signingCertificate':'-----BEGIN CERTIFICATE-----','signature':'c2ln'}}"},
    {"SignedUpdateFirmware", OCPP_CONF, "{'status':'InvalidCertificate'}"},
    {"SignedFirmwareStatusNotification", OCPP_REQ, "{'status':'SignatureVerified','requestId':5}"},
    {"SignedFirmwareStatusNotification", OCPP_CONF, "{}"},
    {"SignCertificate", OCPP_REQ, "{'csr':'-----BEGIN CERTIFICATE REQUEST-----'}"},
    {"SignCertificate", OCPP_CONF, "{'status':'Accepted'}"},
    {"CertificateSigned", OCPP_REQ, "{'certificateChain':'-----BEGIN CERTIFICATE-----'}"},
    {"CertificateSigned", OCPP_CONF, "{'status':'Rejected'}"},
    {"UnlockConnector", OCPP_REQ, "{'connectorId':1}"},
    {"UnlockConnector", OCPP_CONF, "{'status':'Unlocked'}"},
    {"UpdateFirmware", OCPP_REQ,
     "{'location':'https://firmware.example.com/evsed/evsed-0.2.0.bin','retries':3,"
     "'retrieveDate':'2026-01-02T03:00:00Z','retryInterval':300}"},
    {"UpdateFirmware", OCPP_REQ,
     "{'location':'ftp://fw.example.com/evsed.bin','retrieveDate':'2026-01-02T03:00:00Z'}"},
    {"UpdateFirmware", OCPP_CONF, "{}"},
};
#define N_EXAMPLES (sizeof examples / sizeof examples[0])

static void expect(const char *action, enum ocpp_dir dir, const json_t *payload, enum ocpp_err want,
		   const char *want_msg, const char *what)
{
	char msg[1024];
	enum ocpp_err got = ocpp_schema_validate(action, dir, payload, msg, sizeof msg);
	if (got != want || (want_msg && strncmp(msg, want_msg, strlen(want_msg)) != 0)) {
		char *text = json_dumps(payload, JSON_COMPACT);
		fail_msg("%s.%s %s %s: got %s '%s', expected %s '%s'", action, dir_name(dir), what,
			 text, ocpp_err_name(got), msg, ocpp_err_name(want),
			 want_msg ? want_msg : "");
	}
	if (got == OE_NONE && msg[0])
		fail_msg("%s.%s %s: a message without an error: %s", action, dir_name(dir), what,
			 msg);
	if (got != OE_NONE && !msg[0])
		fail_msg("%s.%s %s: no message", action, dir_name(dir), what);
}

static void examples_are_valid(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_EXAMPLES; i++) {
		json_t *p = load(examples[i].json);
		expect(examples[i].action, examples[i].dir, p, OE_NONE, NULL, "example");
		json_decref(p);
	}
}

static void examples_cover_every_action(void **state)
{
	(void)state;
	for (size_t a = 0; a < N_ACTIONS; a++) {
		for (int d = OCPP_REQ; d <= OCPP_CONF; d++) {
			bool found = false;
			for (size_t i = 0; i < N_EXAMPLES; i++)
				found |= strcmp(examples[i].action, actions[a]) == 0 &&
					 examples[i].dir == (enum ocpp_dir)d;
			if (!found)
				fail_msg("no example of %s.%s", actions[a],
					 dir_name((enum ocpp_dir)d));
		}
	}
}

/* ---- the specification, restated -------------------------------------- */

/* Each enumeration of chapter 7, as the validator lists it. */
static const struct {
	const char *name;
	const char *values;
} enums[] = {
    {"AuthorizationStatus", "Accepted, Blocked, Expired, Invalid, ConcurrentTx"},
    {"AvailabilityStatus", "Accepted, Rejected, Scheduled"},
    {"AvailabilityType", "Inoperative, Operative"},
    {"CancelReservationStatus", "Accepted, Rejected"},
    {"ChargePointErrorCode",
     "ConnectorLockFailure, EVCommunicationError, GroundFailure, HighTemperature, "
     "InternalError, LocalListConflict, NoError, OtherError, OverCurrentFailure, "
     "PowerMeterFailure, PowerSwitchFailure, ReaderFailure, ResetFailure, UnderVoltage, "
     "OverVoltage, WeakSignal"},
    {"ChargePointStatus", "Available, Preparing, Charging, SuspendedEVSE, SuspendedEV, "
			  "Finishing, Reserved, Unavailable, Faulted"},
    {"ChargingProfileKindType", "Absolute, Recurring, Relative"},
    {"ChargingProfilePurposeType", "ChargePointMaxProfile, TxDefaultProfile, TxProfile"},
    {"ChargingProfileStatus", "Accepted, Rejected, NotSupported"},
    {"ChargingRateUnitType", "A, W"},
    {"ClearCacheStatus", "Accepted, Rejected"},
    {"ClearChargingProfileStatus", "Accepted, Unknown"},
    {"ConfigurationStatus", "Accepted, Rejected, RebootRequired, NotSupported"},
    {"DataTransferStatus", "Accepted, Rejected, UnknownMessageId, UnknownVendorId"},
    {"DiagnosticsStatus", "Idle, Uploaded, UploadFailed, Uploading"},
    {"FirmwareStatus", "Downloaded, DownloadFailed, Downloading, Idle, InstallationFailed, "
		       "Installing, Installed"},
    {"GetCompositeScheduleStatus", "Accepted, Rejected"},
    {"Location", "Cable, EV, Inlet, Outlet, Body"},
    {"Measurand",
     "Energy.Active.Export.Register, Energy.Active.Import.Register, "
     "Energy.Reactive.Export.Register, Energy.Reactive.Import.Register, "
     "Energy.Active.Export.Interval, Energy.Active.Import.Interval, "
     "Energy.Reactive.Export.Interval, Energy.Reactive.Import.Interval, Power.Active.Export, "
     "Power.Active.Import, Power.Offered, Power.Reactive.Export, Power.Reactive.Import, "
     "Power.Factor, Current.Import, Current.Export, Current.Offered, Voltage, Frequency, "
     "Temperature, SoC, RPM"},
    {"MessageTrigger", "BootNotification, DiagnosticsStatusNotification, "
		       "FirmwareStatusNotification, Heartbeat, MeterValues, StatusNotification"},
    {"Phase", "L1, L2, L3, N, L1-N, L2-N, L3-N, L1-L2, L2-L3, L3-L1"},
    {"ReadingContext", "Interruption.Begin, Interruption.End, Sample.Clock, Sample.Periodic, "
		       "Transaction.Begin, Transaction.End, Trigger, Other"},
    {"Reason", "EmergencyStop, EVDisconnected, HardReset, Local, Other, PowerLoss, Reboot, "
	       "Remote, SoftReset, UnlockCommand, DeAuthorized"},
    {"RecurrencyKindType", "Daily, Weekly"},
    {"RegistrationStatus", "Accepted, Pending, Rejected"},
    {"RemoteStartStopStatus", "Accepted, Rejected"},
    {"ReservationStatus", "Accepted, Faulted, Occupied, Rejected, Unavailable"},
    {"ResetStatus", "Accepted, Rejected"},
    {"ResetType", "Hard, Soft"},
    {"TriggerMessageStatus", "Accepted, Rejected, NotImplemented"},
    {"UnitOfMeasure", "Wh, kWh, varh, kvarh, W, kW, VA, kVA, var, kvar, A, V, K, Celcius, "
		      "Celsius, Fahrenheit, Percent"},
    {"UnlockStatus", "Unlocked, UnlockFailed, NotSupported"},
    {"UpdateStatus", "Accepted, Failed, NotSupported, VersionMismatch"},
    {"UpdateType", "Differential, Full"},
    {"ValueFormat", "Raw, SignedData"},
    /* the security extension (C12) */
    {"ExtendedMessageTrigger", "BootNotification, LogStatusNotification, "
			       "FirmwareStatusNotification, Heartbeat, MeterValues, "
			       "SignChargePointCertificate, StatusNotification"},
    {"LogType", "DiagnosticsLog, SecurityLog"},
    {"LogStatus", "Accepted, Rejected, AcceptedCanceled"},
    {"UploadLogStatus", "BadMessage, Idle, NotSupportedOperation, PermissionDenied, Uploaded, "
			"UploadFailure, Uploading"},
    {"CertificateUse", "CentralSystemRootCertificate, ManufacturerRootCertificate"},
    {"HashAlgorithm", "SHA256, SHA384, SHA512"},
    {"InstallCertificateStatus", "Accepted, Failed, Rejected"},
    {"GetInstalledCertificateStatus", "Accepted, NotFound"},
    {"DeleteCertificateStatus", "Accepted, Failed, NotFound"},
    {"SignedFirmwareStatus",
     "Downloaded, DownloadFailed, Downloading, DownloadScheduled, DownloadPaused, Idle, "
     "InstallationFailed, Installing, Installed, InstallRebooting, InstallScheduled, "
     "InstallVerificationFailed, InvalidSignature, SignatureVerified"},
    {"UpdateFirmwareStatus",
     "Accepted, Rejected, AcceptedCanceled, InvalidCertificate, RevokedCertificate"},
    {"GenericStatus", "Accepted, Rejected"},
};

#define IDTAGINFO(p)                                                                               \
	p "idTagInfo:object " p "idTagInfo.expiryDate:time " p "idTagInfo.parentIdTag:20 " p       \
	  "idTagInfo.status:AuthorizationStatus "
#define SAMPLED(p, min)                                                                            \
	p ":" min " " p "[]:object " p "[].timestamp:time " p "[].sampledValue:min1 " p            \
	  "[].sampledValue[]:object " p "[].sampledValue[].value:text " p                          \
	  "[].sampledValue[].context:ReadingContext " p "[].sampledValue[].format:ValueFormat " p  \
	  "[].sampledValue[].measurand:Measurand " p "[].sampledValue[].phase:Phase " p            \
	  "[].sampledValue[].location:Location " p "[].sampledValue[].unit:UnitOfMeasure "
#define SAMPLED_REQ(p) p " " p "[].timestamp " p "[].sampledValue " p "[].sampledValue[].value "
#define SCHEDULE(o)                                                                                \
	o ":object " o ".duration:int " o ".startSchedule:time " o                                 \
	  ".chargingRateUnit:ChargingRateUnitType " o ".chargingSchedulePeriod:min1 " o            \
	  ".chargingSchedulePeriod[]:object " o ".chargingSchedulePeriod[].startPeriod:int " o     \
	  ".chargingSchedulePeriod[].limit:decimal " o                                             \
	  ".chargingSchedulePeriod[].numberPhases:int " o ".minChargingRate:decimal "
#define SCHEDULE_REQ(o)                                                                            \
	o ".chargingRateUnit " o ".chargingSchedulePeriod " o                                      \
	  ".chargingSchedulePeriod[].startPeriod " o ".chargingSchedulePeriod[].limit "
#define PROFILE(o)                                                                                 \
	o ":object " o ".chargingProfileId:int " o ".transactionId:int " o ".stackLevel:int " o    \
	  ".chargingProfilePurpose:ChargingProfilePurposeType " o                                  \
	  ".chargingProfileKind:ChargingProfileKindType " o                                        \
	  ".recurrencyKind:RecurrencyKindType " o ".validFrom:time " o                             \
	  ".validTo:time " SCHEDULE(o ".chargingSchedule")
#define PROFILE_REQ(o)                                                                             \
	o ".chargingProfileId " o ".stackLevel " o ".chargingProfilePurpose " o                    \
	  ".chargingProfileKind " o ".chargingSchedule " SCHEDULE_REQ(o ".chargingSchedule")

/*
 * Per message: the required fields, and the rule of every field (paths with
 * [] for any array item):
 *   int     an integer
 *   decimal a number, a multiple of 0.1
 *   bool    true / false
 *   object  an object (its fields have their own rules)
 *   N       a CiString of at most N characters
 *   text    a string without a length limit
 *   time    a date-time
 *   uri     a URI
 *   min0 / min1   an array with at least 0 / 1 items
 *   Name    one of the values of the enumeration Name
 */
static const struct fact {
	const char *msg;
	const char *required;
	const char *rules;
} facts[] = {
    {"Authorize.req", "idTag", "idTag:20"},
    {"Authorize.conf", "idTagInfo idTagInfo.status", IDTAGINFO("")},
    {"BootNotification.req", "chargePointVendor chargePointModel",
     "chargePointVendor:20 chargePointModel:20 chargePointSerialNumber:25 "
     "chargeBoxSerialNumber:25 firmwareVersion:50 iccid:20 imsi:20 meterType:25 "
     "meterSerialNumber:25"},
    {"BootNotification.conf", "status currentTime interval",
     "status:RegistrationStatus currentTime:time interval:int"},
    {"CancelReservation.req", "reservationId", "reservationId:int"},
    {"CancelReservation.conf", "status", "status:CancelReservationStatus"},
    {"ChangeAvailability.req", "connectorId type", "connectorId:int type:AvailabilityType"},
    {"ChangeAvailability.conf", "status", "status:AvailabilityStatus"},
    {"ChangeConfiguration.req", "key value", "key:50 value:500"},
    {"ChangeConfiguration.conf", "status", "status:ConfigurationStatus"},
    {"ClearCache.req", "", ""},
    {"ClearCache.conf", "status", "status:ClearCacheStatus"},
    {"ClearChargingProfile.req", "",
     "id:int connectorId:int chargingProfilePurpose:ChargingProfilePurposeType stackLevel:int"},
    {"ClearChargingProfile.conf", "status", "status:ClearChargingProfileStatus"},
    {"DataTransfer.req", "vendorId", "vendorId:255 messageId:50 data:text"},
    {"DataTransfer.conf", "status", "status:DataTransferStatus data:text"},
    {"DiagnosticsStatusNotification.req", "status", "status:DiagnosticsStatus"},
    {"DiagnosticsStatusNotification.conf", "", ""},
    {"FirmwareStatusNotification.req", "status", "status:FirmwareStatus"},
    {"FirmwareStatusNotification.conf", "", ""},
    {"GetCompositeSchedule.req", "connectorId duration",
     "connectorId:int duration:int chargingRateUnit:ChargingRateUnitType"},
    {"GetCompositeSchedule.conf", "status " SCHEDULE_REQ("chargingSchedule"),
     "status:GetCompositeScheduleStatus connectorId:int scheduleStart:time " SCHEDULE(
	 "chargingSchedule")},
    {"GetConfiguration.req", "", "key:min0 key[]:50"},
    {"GetConfiguration.conf", "configurationKey[].key configurationKey[].readonly",
     "configurationKey:min0 configurationKey[]:object configurationKey[].key:50 "
     "configurationKey[].readonly:bool configurationKey[].value:500 unknownKey:min0 "
     "unknownKey[]:50"},
    {"GetDiagnostics.req", "location",
     "location:uri retries:int retryInterval:int startTime:time stopTime:time"},
    {"GetDiagnostics.conf", "", "fileName:255"},
    {"GetLocalListVersion.req", "", ""},
    {"GetLocalListVersion.conf", "listVersion", "listVersion:int"},
    {"Heartbeat.req", "", ""},
    {"Heartbeat.conf", "currentTime", "currentTime:time"},
    {"MeterValues.req", "connectorId " SAMPLED_REQ("meterValue"),
     "connectorId:int transactionId:int " SAMPLED("meterValue", "min1")},
    {"MeterValues.conf", "", ""},
    {"RemoteStartTransaction.req", "idTag " PROFILE_REQ("chargingProfile"),
     "connectorId:int idTag:20 " PROFILE("chargingProfile")},
    {"RemoteStartTransaction.conf", "status", "status:RemoteStartStopStatus"},
    {"RemoteStopTransaction.req", "transactionId", "transactionId:int"},
    {"RemoteStopTransaction.conf", "status", "status:RemoteStartStopStatus"},
    {"ReserveNow.req", "connectorId expiryDate idTag reservationId",
     "connectorId:int expiryDate:time idTag:20 parentIdTag:20 reservationId:int"},
    {"ReserveNow.conf", "status", "status:ReservationStatus"},
    {"Reset.req", "type", "type:ResetType"},
    {"Reset.conf", "status", "status:ResetStatus"},
    {"SendLocalList.req",
     "listVersion updateType localAuthorizationList[].idTag "
     "localAuthorizationList[].idTagInfo.status",
     "listVersion:int localAuthorizationList:min0 localAuthorizationList[]:object "
     "localAuthorizationList[].idTag:20 " IDTAGINFO(
	 "localAuthorizationList[].") "updateType:UpdateType"},
    {"SendLocalList.conf", "status", "status:UpdateStatus"},
    {"SetChargingProfile.req", "connectorId csChargingProfiles " PROFILE_REQ("csChargingProfiles"),
     "connectorId:int " PROFILE("csChargingProfiles")},
    {"SetChargingProfile.conf", "status", "status:ChargingProfileStatus"},
    {"StartTransaction.req", "connectorId idTag meterStart timestamp",
     "connectorId:int idTag:20 meterStart:int reservationId:int timestamp:time"},
    {"StartTransaction.conf", "idTagInfo idTagInfo.status transactionId",
     IDTAGINFO("") "transactionId:int"},
    {"StatusNotification.req", "connectorId errorCode status",
     "connectorId:int errorCode:ChargePointErrorCode info:50 status:ChargePointStatus "
     "timestamp:time vendorId:255 vendorErrorCode:50"},
    {"StatusNotification.conf", "", ""},
    {"StopTransaction.req",
     "meterStop timestamp transactionId transactionData[].timestamp "
     "transactionData[].sampledValue transactionData[].sampledValue[].value",
     "idTag:20 meterStop:int timestamp:time transactionId:int reason:Reason " SAMPLED(
	 "transactionData", "min0")},
    {"StopTransaction.conf", "idTagInfo.status", IDTAGINFO("")},
    {"TriggerMessage.req", "requestedMessage", "requestedMessage:MessageTrigger connectorId:int"},
    {"TriggerMessage.conf", "status", "status:TriggerMessageStatus"},
    {"UnlockConnector.req", "connectorId", "connectorId:int"},
    {"UnlockConnector.conf", "status", "status:UnlockStatus"},
    {"UpdateFirmware.req", "location retrieveDate",
     "location:uri retries:int retrieveDate:time retryInterval:int"},
    {"UpdateFirmware.conf", "", ""},
    /* the security extension (C12), from the whitepaper's schemas */
    {"ExtendedTriggerMessage.req", "requestedMessage",
     "requestedMessage:ExtendedMessageTrigger connectorId:int"},
    {"ExtendedTriggerMessage.conf", "status", "status:TriggerMessageStatus"},
    {"GetLog.req", "log log.remoteLocation logType requestId",
     "log:object log.remoteLocation:512 log.oldestTimestamp:time log.latestTimestamp:time "
     "logType:LogType requestId:int retries:int retryInterval:int"},
    {"GetLog.conf", "status", "status:LogStatus filename:255"},
    {"LogStatusNotification.req", "status", "status:UploadLogStatus requestId:int"},
    {"LogStatusNotification.conf", "", ""},
    {"SecurityEventNotification.req", "type timestamp", "type:50 timestamp:time techInfo:255"},
    {"SecurityEventNotification.conf", "", ""},
    {"InstallCertificate.req", "certificateType certificate",
     "certificateType:CertificateUse certificate:5500"},
    {"InstallCertificate.conf", "status", "status:InstallCertificateStatus"},
    {"GetInstalledCertificateIds.req", "certificateType", "certificateType:CertificateUse"},
    {"GetInstalledCertificateIds.conf",
     "status certificateHashData[].hashAlgorithm certificateHashData[].issuerNameHash "
     "certificateHashData[].issuerKeyHash certificateHashData[].serialNumber",
     "status:GetInstalledCertificateStatus certificateHashData:min1 certificateHashData[]:object "
     "certificateHashData[].hashAlgorithm:HashAlgorithm certificateHashData[].issuerNameHash:128 "
     "certificateHashData[].issuerKeyHash:128 certificateHashData[].serialNumber:40"},
    {"DeleteCertificate.req",
     "certificateHashData certificateHashData.hashAlgorithm certificateHashData.issuerNameHash "
     "certificateHashData.issuerKeyHash certificateHashData.serialNumber",
     "certificateHashData:object certificateHashData.hashAlgorithm:HashAlgorithm "
     "certificateHashData.issuerNameHash:128 certificateHashData.issuerKeyHash:128 "
     "certificateHashData.serialNumber:40"},
    {"DeleteCertificate.conf", "status", "status:DeleteCertificateStatus"},
    {"SignedUpdateFirmware.req",
     "requestId firmware firmware.location firmware.retrieveDateTime firmware.signingCertificate "
     "firmware.signature",
     "retries:int retryInterval:int requestId:int firmware:object firmware.location:512 "
     "firmware.retrieveDateTime:time firmware.installDateTime:time "
     "firmware.signingCertificate:5500 firmware.signature:800"},
    {"SignedUpdateFirmware.conf", "status", "status:UpdateFirmwareStatus"},
    {"SignedFirmwareStatusNotification.req", "status", "status:SignedFirmwareStatus requestId:int"},
    {"SignedFirmwareStatusNotification.conf", "", ""},
    {"SignCertificate.req", "csr", "csr:5500"},
    {"SignCertificate.conf", "status", "status:GenericStatus"},
    {"CertificateSigned.req", "certificateChain", "certificateChain:10000"},
    {"CertificateSigned.conf", "status", "status:GenericStatus"},
};
#define N_FACTS (sizeof facts / sizeof facts[0])

/* Fields no example holds: RemoteStartTransaction's profile "SHALL NOT"
 * have a transactionId (section 5.11), though the schema allows it. */
static const struct {
	const char *msg, *path;
} not_in_examples[] = {
    {"RemoteStartTransaction.req", "chargingProfile.transactionId"},
};

static const struct fact *fact_of(const struct example *e)
{
	char name[80];
	snprintf(name, sizeof name, "%s.%s", e->action, dir_name(e->dir));
	for (size_t i = 0; i < N_FACTS; i++)
		if (strcmp(facts[i].msg, name) == 0)
			return &facts[i];
	fail_msg("no facts for %s", name);
	return NULL;
}

/* Is path a word of the space-separated list? With rules ("path:rule"),
 * *rule receives the rule. */
static bool listed(const char *list, const char *path, char *rule, size_t rulelen)
{
	size_t n = strlen(path);
	for (const char *p = list; *p;) {
		while (*p == ' ')
			p++;
		size_t w = strcspn(p, " ");
		if (w > n && strncmp(p, path, n) == 0 && p[n] == ':' && rule) {
			snprintf(rule, rulelen, "%.*s", (int)(w - n - 1), p + n + 1);
			return true;
		}
		if (w == n && strncmp(p, path, n) == 0 && !rule)
			return true;
		p += w;
	}
	return false;
}

static const char *enum_values(const char *name)
{
	for (size_t i = 0; i < sizeof enums / sizeof enums[0]; i++)
		if (strcmp(enums[i].name, name) == 0)
			return enums[i].values;
	return NULL;
}

/* ---- walking an example ------------------------------------------------ */

#define DEPTH 8

/* Where a value sits in an example: keys and indices from the root. */
struct loc {
	const char *key[DEPTH]; /* NULL: an array index */
	size_t idx[DEPTH];
	int depth;
	char path[256]; /* "meterValue[0].sampledValue[1].unit" */
	char norm[256]; /* "meterValue[].sampledValue[].unit" */
};

static void loc_paths(struct loc *l)
{
	size_t p = 0, q = 0;
	l->path[0] = l->norm[0] = '\0';
	for (int i = 0; i < l->depth; i++) {
		if (l->key[i]) {
			p += (size_t)snprintf(l->path + p, sizeof l->path - p, "%s%s", p ? "." : "",
					      l->key[i]);
			q += (size_t)snprintf(l->norm + q, sizeof l->norm - q, "%s%s", q ? "." : "",
					      l->key[i]);
		} else {
			p += (size_t)snprintf(l->path + p, sizeof l->path - p, "[%zu]", l->idx[i]);
			q += (size_t)snprintf(l->norm + q, sizeof l->norm - q, "[]");
		}
	}
}

/* A copy of root with the value at l replaced by v (stolen), or removed
 * when v is NULL. */
static json_t *mutate(const json_t *root, const struct loc *l, json_t *v)
{
	json_t *copy = json_deep_copy(root), *p = copy;
	for (int i = 0; i < l->depth - 1; i++)
		p = l->key[i] ? json_object_get(p, l->key[i]) : json_array_get(p, l->idx[i]);
	int last = l->depth - 1, r;
	if (l->key[last])
		r = v ? json_object_set_new(p, l->key[last], v) : json_object_del(p, l->key[last]);
	else
		r = v ? json_array_set_new(p, l->idx[last], v) : json_array_remove(p, l->idx[last]);
	assert_int_equal(r, 0);
	return copy;
}

typedef void (*visit_fn)(const struct example *e, const json_t *root, const struct loc *l,
			 const json_t *v);

static void walk(const struct example *e, const json_t *root, const json_t *v, struct loc *l,
		 visit_fn fn)
{
	assert_true(l->depth < DEPTH);
	if (json_is_object(v)) {
		const char *key;
		json_t *child;
		json_object_foreach((json_t *)(uintptr_t)v, key, child)
		{
			l->key[l->depth++] = key;
			loc_paths(l);
			fn(e, root, l, child);
			walk(e, root, child, l, fn);
			l->depth--;
		}
	} else if (json_is_array(v)) {
		for (size_t i = 0; i < json_array_size(v); i++) {
			l->key[l->depth] = NULL;
			l->idx[l->depth++] = i;
			loc_paths(l);
			fn(e, root, l, json_array_get(v, i));
			walk(e, root, json_array_get(v, i), l, fn);
			l->depth--;
		}
	}
}

static void walk_examples(visit_fn fn)
{
	for (size_t i = 0; i < N_EXAMPLES; i++) {
		json_t *root = load(examples[i].json);
		struct loc l = {.depth = 0};
		walk(&examples[i], root, root, &l, fn);
		json_decref(root);
	}
}

/* Validate root with v at l, expecting want and a message that begins with
 * the path and then msg. */
static void try_value(const struct example *e, const json_t *root, const struct loc *l, json_t *v,
		      enum ocpp_err want, const char *msg)
{
	json_t *m = mutate(root, l, v);
	char want_msg[1024];
	snprintf(want_msg, sizeof want_msg, "%s: %s", l->path, msg ? msg : "");
	expect(e->action, e->dir, m, want, want == OE_NONE ? NULL : want_msg, l->path);
	json_decref(m);
}

/* ---- the cross-checks -------------------------------------------------- */

static void visit_remove(const struct example *e, const json_t *root, const struct loc *l,
			 const json_t *v)
{
	(void)v;
	if (!l->key[l->depth - 1])
		return; /* an array item: arrays are checked by their rules */
	bool required = listed(fact_of(e)->required, l->norm, NULL, 0);
	try_value(e, root, l, NULL, required ? OE_OCCURRENCE : OE_NONE, "required field missing");
}

/* Removing a field: OccurenceConstraintViolation if and only if the
 * specification requires it. */
static void removing_a_field(void **state)
{
	(void)state;
	walk_examples(visit_remove);
}

static void visit_wrong_type(const struct example *e, const json_t *root, const struct loc *l,
			     const json_t *v)
{
	json_t *w = json_is_string(v)	 ? json_integer(42)
		    : json_is_integer(v) ? json_string("42")
		    : json_is_real(v)	 ? json_string("16.0")
		    : json_is_boolean(v) ? json_string("true")
		    : json_is_object(v)	 ? json_array()
					 : json_object();
	try_value(e, root, l, w, OE_TYPE, "must be ");
	try_value(e, root, l, json_null(), OE_TYPE, "must be ");
}

/* Any field of the wrong JSON type (null included): TypeConstraintViolation. */
static void wrong_json_type(void **state)
{
	(void)state;
	walk_examples(visit_wrong_type);
}

static void visit_unknown(const struct example *e, const json_t *root, const struct loc *l,
			  const json_t *v)
{
	if (!json_is_object(v))
		return;
	json_t *m = json_deep_copy(root), *o = m;
	for (int i = 0; i < l->depth; i++)
		o = l->key[i] ? json_object_get(o, l->key[i]) : json_array_get(o, l->idx[i]);
	assert_int_equal(json_object_set_new(o, "vendorExtension", json_true()), 0);
	char want[300];
	snprintf(want, sizeof want, "%s.vendorExtension: unknown property", l->path);
	expect(e->action, e->dir, m, OE_FORMATION, want, "unknown property");
	json_decref(m);
}

/* An unknown property at any depth: FormationViolation, named. */
static void unknown_property(void **state)
{
	(void)state;
	walk_examples(visit_unknown);
	for (size_t i = 0; i < N_EXAMPLES; i++) {
		json_t *p = load(examples[i].json);
		assert_int_equal(json_object_set_new(p, "x-vendor", json_integer(1)), 0);
		expect(examples[i].action, examples[i].dir, p, OE_FORMATION,
		       "x-vendor: unknown property", "unknown property");
		json_decref(p);
	}
}

static char *repeat(const char *unit, size_t times)
{
	size_t u = strlen(unit);
	char *s = malloc(u * times + 1);
	assert_non_null(s);
	for (size_t i = 0; i < times; i++)
		memcpy(s + i * u, unit, u);
	s[u * times] = '\0';
	return s;
}

static void try_enum(const struct example *e, const json_t *root, const struct loc *l,
		     const char *name)
{
	const char *values = enum_values(name);
	if (!values)
		fail_msg("%s: no enumeration %s", l->norm, name);
	for (const char *p = values; *p;) {
		size_t w = strcspn(p, ",");
		char one[64];
		snprintf(one, sizeof one, "%.*s", (int)w, p);
		try_value(e, root, l, json_string(one), OE_NONE, NULL);
		one[0] = (char)(one[0] ^ 0x20); /* the case matters */
		char want[600];
		snprintf(want, sizeof want, "must be one of %s", values);
		try_value(e, root, l, json_string(one), OE_PROPERTY, want);
		p += w;
		p += *p == ',' ? 2 : 0;
	}
	char want[600];
	snprintf(want, sizeof want, "must be one of %s", values);
	try_value(e, root, l, json_string("Bogus"), OE_PROPERTY, want);
	try_value(e, root, l, json_string(""), OE_PROPERTY, want);
}

static void try_cistring(const struct example *e, const json_t *root, const struct loc *l,
			 size_t max)
{
	char want[64];
	snprintf(want, sizeof want, "must be at most %zu characters", max);
	static const char *const units[] = {"a", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x94\x8c"};
	for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
		char *s = repeat(units[u], max);
		try_value(e, root, l, json_string(s), OE_NONE, NULL);
		free(s);
		s = repeat(units[u], max + 1);
		try_value(e, root, l, json_string(s), OE_PROPERTY, want);
		free(s);
	}
	try_value(e, root, l, json_string(""), OE_NONE, NULL);
}

/* jansson's type tests are macros; these can sit in a table. */
static bool json_is_integer_fn(const json_t *j)
{
	return json_is_integer(j);
}

static bool json_is_real_fn(const json_t *j)
{
	return json_is_real(j);
}

static bool json_is_boolean_fn(const json_t *j)
{
	return json_is_boolean(j);
}

static bool json_is_object_fn(const json_t *j)
{
	return json_is_object(j);
}

static bool json_is_array_fn(const json_t *j)
{
	return json_is_array(j);
}

static void visit_rules(const struct example *e, const json_t *root, const struct loc *l,
			const json_t *v)
{
	char rule[64];
	if (!listed(fact_of(e)->rules, l->norm, rule, sizeof rule))
		fail_msg("%s.%s: no rule for %s", e->action, dir_name(e->dir), l->norm);
	static const struct {
		const char *rule;
		bool (*is)(const json_t *j);
	} kinds[] = {
	    {"int", json_is_integer_fn},  {"decimal", json_is_real_fn},
	    {"bool", json_is_boolean_fn}, {"object", json_is_object_fn},
	    {"min0", json_is_array_fn},	  {"min1", json_is_array_fn},
	};
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		if (strcmp(rule, kinds[k].rule) != 0)
			continue;
		if (!kinds[k].is(v))
			fail_msg("%s.%s: %s is not written as a %s", e->action, dir_name(e->dir),
				 l->norm, rule);
		if (rule[0] == 'm')
			try_value(e, root, l, json_array(),
				  rule[3] == '1' ? OE_OCCURRENCE : OE_NONE,
				  "must have at least 1 element");
		return;
	}
	if (!json_is_string(v))
		fail_msg("%s.%s: %s is not a string", e->action, dir_name(e->dir), l->norm);
	if (strcmp(rule, "text") == 0) {
		char *s = repeat("text ", 2000);
		try_value(e, root, l, json_string(s), OE_NONE, NULL);
		try_value(e, root, l, json_string(""), OE_NONE, NULL);
		free(s);
	} else if (strcmp(rule, "time") == 0) {
		try_value(e, root, l, json_string("2026-06-30T14:00:00.5+02:00"), OE_NONE, NULL);
		try_value(e, root, l, json_string("2026-02-30T00:00:00Z"), OE_PROPERTY,
			  "must be an RFC 3339 date-time");
		try_value(e, root, l, json_string("tomorrow"), OE_PROPERTY,
			  "must be an RFC 3339 date-time");
	} else if (strcmp(rule, "uri") == 0) {
		try_value(e, root, l, json_string("sftp://host/dir/"), OE_NONE, NULL);
		try_value(e, root, l, json_string("host/dir"), OE_PROPERTY, "must be a URI");
	} else if (rule[0] >= '0' && rule[0] <= '9') {
		try_cistring(e, root, l, strtoul(rule, NULL, 10));
	} else {
		try_enum(e, root, l, rule);
	}
}

/* Every field of every example has a rule, is written with its JSON type,
 * and the string and array rules hold. */
static void field_rules(void **state)
{
	(void)state;
	walk_examples(visit_rules);
}

static void visit_numbers(const struct example *e, const json_t *root, const struct loc *l,
			  const json_t *v)
{
	char rule[64];
	if (!listed(fact_of(e)->rules, l->norm, rule, sizeof rule))
		return;
	if (strcmp(rule, "int") == 0) {
		json_int_t i = json_integer_value(v);
		try_value(e, root, l, json_real((double)i + 0.5), OE_TYPE, "must be an integer");
		try_value(e, root, l, json_real((double)i), OE_NONE, NULL);
		try_value(e, root, l, json_integer(-1), OE_NONE, NULL);
		try_value(e, root, l, json_integer(INT64_MAX), OE_NONE, NULL);
	} else if (strcmp(rule, "decimal") == 0) {
		double d = json_real_value(v);
		try_value(e, root, l, json_integer((json_int_t)d), OE_NONE, NULL);
		try_value(e, root, l, json_real(d + 0.1), OE_NONE, NULL);
		try_value(e, root, l, json_real(d + 0.05), OE_PROPERTY,
			  "must be a multiple of 0.1");
		try_value(e, root, l, json_real(d + 0.01), OE_PROPERTY,
			  "must be a multiple of 0.1");
	}
}

/* Integers take no fraction; the decimals (limit, minChargingRate) take
 * integers and tenths only. */
static void number_rules(void **state)
{
	(void)state;
	walk_examples(visit_numbers);
}

/* The last name of every rule's path, from every message. */
static char vocabulary[256][48];
static size_t n_vocabulary;

static void collect_vocabulary(void)
{
	n_vocabulary = 0;
	for (size_t i = 0; i < N_FACTS; i++) {
		for (const char *p = facts[i].rules; *p;) {
			while (*p == ' ')
				p++;
			size_t w = strcspn(p, ":");
			if (!*p)
				break;
			const char *name = p;
			for (const char *q = p; q < p + w; q++)
				if (*q == '.')
					name = q + 1;
			size_t n = (size_t)(p + w - name);
			while (n >= 2 && name[n - 2] == '[')
				n -= 2;
			char word[48];
			snprintf(word, sizeof word, "%.*s", (int)n, name);
			bool seen = false;
			for (size_t k = 0; k < n_vocabulary; k++)
				seen |= strcmp(vocabulary[k], word) == 0;
			if (!seen && word[0]) {
				assert_true(n_vocabulary < 256);
				memcpy(vocabulary[n_vocabulary++], word, sizeof word);
			}
			p += strcspn(p, " ");
		}
	}
}

static void try_foreign_names(const struct example *e, const json_t *root, const struct loc *l,
			      const json_t *obj)
{
	for (size_t k = 0; k < n_vocabulary; k++) {
		char norm[320], path[360], rule[64];
		snprintf(norm, sizeof norm, "%s%s%s", l->norm, l->depth ? "." : "", vocabulary[k]);
		if (listed(fact_of(e)->rules, norm, rule, sizeof rule))
			continue;
		assert_null(json_object_get(obj, vocabulary[k]));
		json_t *m = json_deep_copy(root), *o = m;
		for (int i = 0; i < l->depth; i++)
			o = l->key[i] ? json_object_get(o, l->key[i])
				      : json_array_get(o, l->idx[i]);
		assert_int_equal(json_object_set_new(o, vocabulary[k], json_integer(1)), 0);
		snprintf(path, sizeof path, "%s%s%s: unknown property", l->path,
			 l->depth ? "." : "", vocabulary[k]);
		expect(e->action, e->dir, m, OE_FORMATION, path, "field of another message");
		json_decref(m);
	}
}

static void visit_foreign(const struct example *e, const json_t *root, const struct loc *l,
			  const json_t *v)
{
	if (json_is_object(v))
		try_foreign_names(e, root, l, v);
}

/* A field of OCPP 1.6 where this message has none (another message's, or
 * the same name at another level): FormationViolation. So no message
 * accepts more fields than the specification gives it. */
static void fields_of_other_messages(void **state)
{
	(void)state;
	collect_vocabulary();
	/* The distinct field names of OCPP 1.6's 56 messages (74) and of the
	 * 22 of the security extension (22 more). */
	assert_int_equal(n_vocabulary, 96);
	for (size_t i = 0; i < N_EXAMPLES; i++) {
		json_t *root = load(examples[i].json);
		struct loc l = {.depth = 0};
		try_foreign_names(&examples[i], root, &l, root);
		walk(&examples[i], root, root, &l, visit_foreign);
		json_decref(root);
	}
}

static bool fact_hit[96][128];

static void visit_cover(const struct example *e, const json_t *root, const struct loc *l,
			const json_t *v)
{
	(void)root, (void)v;
	const struct fact *f = fact_of(e);
	size_t row = (size_t)(f - facts);
	const char *lists[2] = {f->rules, f->required};
	for (int k = 0; k < 2; k++) {
		int w = k * 64;
		for (const char *p = lists[k]; *p; w++) {
			while (*p == ' ')
				p++;
			if (!*p)
				break;
			size_t n = strcspn(p, k == 0 ? " :" : " ");
			assert_true(w < 128);
			if (strlen(l->norm) == n && strncmp(p, l->norm, n) == 0)
				fact_hit[row][w] = true;
			p += strcspn(p, " ");
		}
	}
}

/* Every fact is exercised by some example (so the examples hold every
 * field of every message). */
static void facts_are_all_exercised(void **state)
{
	(void)state;
	assert_true(N_FACTS == 2 * N_ACTIONS && N_FACTS <= 96);
	memset(fact_hit, 0, sizeof fact_hit);
	walk_examples(visit_cover);
	for (size_t row = 0; row < N_FACTS; row++) {
		const char *lists[2] = {facts[row].rules, facts[row].required};
		for (int k = 0; k < 2; k++) {
			int w = k * 64;
			for (const char *p = lists[k]; *p; w++) {
				while (*p == ' ')
					p++;
				if (!*p)
					break;
				size_t n = strcspn(p, k == 0 ? " :" : " ");
				bool exempt = false;
				for (size_t x = 0;
				     x < sizeof not_in_examples / sizeof not_in_examples[0]; x++)
					exempt |=
					    strcmp(not_in_examples[x].msg, facts[row].msg) == 0 &&
					    strlen(not_in_examples[x].path) == n &&
					    strncmp(not_in_examples[x].path, p, n) == 0;
				if (!fact_hit[row][w] && !exempt)
					fail_msg("%s: '%.*s' is in no example", facts[row].msg,
						 (int)n, p);
				p += strcspn(p, " ");
			}
		}
	}
}

/* ---- each error class, by hand ----------------------------------------- */

static const struct bad {
	const char *action;
	enum ocpp_dir dir;
	const char *json;
	enum ocpp_err want;
	const char *msg; /* exact */
} bad[] = {
    /* missing required fields and cardinalities */
    {"Authorize", OCPP_REQ, "{}", OE_OCCURRENCE, "idTag: required field missing"},
    {"Authorize", OCPP_CONF, "{'idTagInfo':{}}", OE_OCCURRENCE,
     "idTagInfo.status: required field missing"},
    {"StartTransaction", OCPP_CONF, "{'transactionId':1}", OE_OCCURRENCE,
     "idTagInfo: required field missing"},
    {"BootNotification", OCPP_REQ, "{'chargePointVendor':'evsed'}", OE_OCCURRENCE,
     "chargePointModel: required field missing"},
    {"MeterValues", OCPP_REQ, "{'connectorId':1,'meterValue':[]}", OE_OCCURRENCE,
     "meterValue: must have at least 1 element"},
    {"MeterValues", OCPP_REQ,
     "{'connectorId':1,'meterValue':[{'timestamp':'2026-01-01T00:00:00Z','sampledValue':[]}]}",
     OE_OCCURRENCE, "meterValue[0].sampledValue: must have at least 1 element"},
    {"MeterValues", OCPP_REQ,
     "{'connectorId':1,'meterValue':[{'timestamp':'2026-01-01T00:00:00Z','sampledValue':"
     "[{'value':'1'},{'unit':'Wh'}]}]}",
     OE_OCCURRENCE, "meterValue[0].sampledValue[1].value: required field missing"},
    {"SetChargingProfile", OCPP_REQ,
     "{'connectorId':1,'csChargingProfiles':{'chargingProfileId':1,'stackLevel':0,"
     "'chargingProfilePurpose':'TxDefaultProfile','chargingProfileKind':'Absolute',"
     "'chargingSchedule':{'chargingRateUnit':'A','chargingSchedulePeriod':[]}}}",
     OE_OCCURRENCE,
     "csChargingProfiles.chargingSchedule.chargingSchedulePeriod: must have at least 1 "
     "element"},
    {"SetChargingProfile", OCPP_REQ, "{'connectorId':1}", OE_OCCURRENCE,
     "csChargingProfiles: required field missing"},
    /* wrong JSON types */
    {"StatusNotification", OCPP_REQ,
     "{'connectorId':'1','errorCode':'NoError','status':'Available'}", OE_TYPE,
     "connectorId: must be an integer"},
    {"StatusNotification", OCPP_REQ,
     "{'connectorId':1.5,'errorCode':'NoError','status':'Available'}", OE_TYPE,
     "connectorId: must be an integer"},
    {"BootNotification", OCPP_CONF,
     "{'status':'Accepted','currentTime':'2026-01-01T00:00:00Z','interval':true}", OE_TYPE,
     "interval: must be an integer"},
    {"BootNotification", OCPP_CONF, "{'status':'Accepted','currentTime':1767225600,'interval':300}",
     OE_TYPE, "currentTime: must be a date-time string"},
    {"Authorize", OCPP_REQ, "{'idTag':12345}", OE_TYPE, "idTag: must be a string"},
    {"Authorize", OCPP_REQ, "{'idTag':null}", OE_TYPE, "idTag: must be a string"},
    {"Authorize", OCPP_CONF, "{'idTagInfo':'Accepted'}", OE_TYPE, "idTagInfo: must be an object"},
    {"Reset", OCPP_REQ, "{'type':['Hard']}", OE_TYPE, "type: must be a string"},
    {"GetConfiguration", OCPP_REQ, "{'key':'HeartbeatInterval'}", OE_TYPE, "key: must be an array"},
    {"GetConfiguration", OCPP_REQ, "{'key':['HeartbeatInterval',7]}", OE_TYPE,
     "key[1]: must be a string"},
    {"GetConfiguration", OCPP_CONF, "{'configurationKey':[{'key':'K','readonly':'false'}]}",
     OE_TYPE, "configurationKey[0].readonly: must be a boolean"},
    {"GetDiagnostics", OCPP_REQ, "{'location':{}}", OE_TYPE, "location: must be a URI string"},
    {"GetCompositeSchedule", OCPP_CONF,
     "{'status':'Accepted','chargingSchedule':{'chargingRateUnit':'A',"
     "'chargingSchedulePeriod':[{'startPeriod':0,'limit':'16'}]}}",
     OE_TYPE, "chargingSchedule.chargingSchedulePeriod[0].limit: must be a number"},
    {"MeterValues", OCPP_REQ, "{'connectorId':1,'meterValue':{}}", OE_TYPE,
     "meterValue: must be an array"},
    {"MeterValues", OCPP_REQ,
     "{'connectorId':1,'meterValue':[{'timestamp':'2026-01-01T00:00:00Z','sampledValue':"
     "[{'value':1234}]}]}",
     OE_TYPE, "meterValue[0].sampledValue[0].value: must be a string"},
    /* invalid values */
    {"Authorize", OCPP_CONF, "{'idTagInfo':{'status':'Unknown'}}", OE_PROPERTY,
     "idTagInfo.status: must be one of Accepted, Blocked, Expired, Invalid, ConcurrentTx"},
    {"Reset", OCPP_REQ, "{'type':'hard'}", OE_PROPERTY, "type: must be one of Hard, Soft"},
    {"Authorize", OCPP_REQ, "{'idTag':'123456789012345678901'}", OE_PROPERTY,
     "idTag: must be at most 20 characters"},
    {"Heartbeat", OCPP_CONF, "{'currentTime':'2026-01-01 00:00:00'}", OE_PROPERTY,
     "currentTime: must be an RFC 3339 date-time such as 2026-01-01T00:00:00Z"},
    {"SetChargingProfile", OCPP_REQ,
     "{'connectorId':1,'csChargingProfiles':{'chargingProfileId':1,'stackLevel':0,"
     "'chargingProfilePurpose':'TxDefaultProfile','chargingProfileKind':'Absolute',"
     "'chargingSchedule':{'chargingRateUnit':'A','chargingSchedulePeriod':[{'startPeriod':0,"
     "'limit':16.05}]}}}",
     OE_PROPERTY,
     "csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0].limit: must be a multiple "
     "of 0.1"},
    {"UpdateFirmware", OCPP_REQ,
     "{'location':'firmware.bin','retrieveDate':'2026-01-01T00:00:00Z'}", OE_PROPERTY,
     "location: must be a URI such as ftp://host/path"},
    {"MeterValues", OCPP_REQ,
     "{'connectorId':1,'meterValue':[{'timestamp':'2026-01-01T00:00:00Z','sampledValue':"
     "[{'value':'1','unit':'C'}]}]}",
     OE_PROPERTY,
     "meterValue[0].sampledValue[0].unit: must be one of Wh, kWh, varh, kvarh, W, kW, VA, kVA, "
     "var, kvar, A, V, K, Celcius, Celsius, Fahrenheit, Percent"},
    /* unknown properties */
    {"Heartbeat", OCPP_REQ, "{'foo':1}", OE_FORMATION, "foo: unknown property"},
    {"StatusNotification", OCPP_REQ, "{'conectorId':1,'errorCode':'NoError','status':'Available'}",
     OE_FORMATION, "conectorId: unknown property"},
    {"Authorize", OCPP_CONF, "{'idTagInfo':{'status':'Accepted','groupIdToken':'G'}}", OE_FORMATION,
     "idTagInfo.groupIdToken: unknown property"},
    {"BootNotification", OCPP_CONF,
     "{'status':'Accepted','currentTime':'2026-01-01T00:00:00Z','interval':300,"
     "'heartbeatInterval':300}",
     OE_FORMATION, "heartbeatInterval: unknown property"},
    {"MeterValues", OCPP_REQ,
     "{'connectorId':1,'meterValue':[{'timestamp':'2026-01-01T00:00:00Z','sampledValue':"
     "[{'value':'1','signedMeterValue':'x'}]}]}",
     OE_FORMATION, "meterValue[0].sampledValue[0].signedMeterValue: unknown property"},
    {"ClearCache", OCPP_REQ, "{'':null}", OE_FORMATION, ": unknown property"},
    /* unknown actions */
    {"TransactionEvent", OCPP_REQ, "{'csr':'x'}", OE_NOT_IMPLEMENTED,
     "TransactionEvent: not an OCPP 1.6 action"},
    {"heartbeat", OCPP_CONF, "{}", OE_NOT_IMPLEMENTED, "heartbeat: not an OCPP 1.6 action"},
};

static void invalid_payloads(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		json_t *p = load(bad[i].json);
		char msg[512];
		enum ocpp_err e =
		    ocpp_schema_validate(bad[i].action, bad[i].dir, p, msg, sizeof msg);
		if (e != bad[i].want || strcmp(msg, bad[i].msg) != 0)
			fail_msg("bad[%zu] %s.%s %s: %s '%s', expected %s '%s'", i, bad[i].action,
				 dir_name(bad[i].dir), bad[i].json, ocpp_err_name(e), msg,
				 ocpp_err_name(bad[i].want), bad[i].msg);
		json_decref(p);
	}
}

static void payload_not_an_object(void **state)
{
	(void)state;
	json_t *values[] = {json_null(),     json_array(), json_string("{}"),
			    json_integer(1), json_true(),  NULL};
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		char msg[128];
		assert_int_equal(
		    ocpp_schema_validate("Heartbeat", OCPP_REQ, values[i], msg, sizeof msg),
		    OE_FORMATION);
		assert_string_equal(msg, "payload: must be a JSON object");
		json_decref(values[i]);
	}
	/* An unknown action is NotImplemented whatever the payload. */
	char msg[128];
	assert_int_equal(ocpp_schema_validate("Nope", OCPP_REQ, NULL, msg, sizeof msg),
			 OE_NOT_IMPLEMENTED);
	assert_int_equal(ocpp_schema_validate(NULL, OCPP_REQ, NULL, msg, sizeof msg),
			 OE_NOT_IMPLEMENTED);
}

/* Reals without a fraction are integers (JSON Schema); integers are
 * numbers. */
static void integers_and_numbers(void **state)
{
	(void)state;
	static const struct {
		const char *json;
		enum ocpp_err want;
	} cases[] = {
	    {"{'connectorId':1}", OE_NONE},
	    {"{'connectorId':1.0}", OE_NONE},
	    {"{'connectorId':1e3}", OE_NONE},
	    {"{'connectorId':-0.0}", OE_NONE},
	    {"{'connectorId':1e300}", OE_NONE},
	    {"{'connectorId':9223372036854775807}", OE_NONE},
	    {"{'connectorId':-9223372036854775808}", OE_NONE},
	    {"{'connectorId':1.5}", OE_TYPE},
	    {"{'connectorId':1e-3}", OE_TYPE},
	    {"{'connectorId':'1'}", OE_TYPE},
	    {"{'connectorId':false}", OE_TYPE},
	    {"{'connectorId':[1]}", OE_TYPE},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *p = load(cases[i].json);
		expect("UnlockConnector", OCPP_REQ, p, cases[i].want, NULL, cases[i].json);
		json_decref(p);
	}
	static const struct {
		const char *limit;
		enum ocpp_err want;
	} limits[] = {
	    {"16", OE_NONE},	   {"16.0", OE_NONE},	   {"16.1", OE_NONE},
	    {"0.3", OE_NONE},	   {"-3.3", OE_NONE},	   {"0", OE_NONE},
	    {"32.1", OE_NONE},	   {"1e10", OE_NONE},	   {"12345678901.1", OE_NONE},
	    {"22000.7", OE_NONE},  {"16.05", OE_PROPERTY}, {"0.01", OE_PROPERTY},
	    {"1e-5", OE_PROPERTY}, {"6.15", OE_PROPERTY},  {"\"16\"", OE_TYPE},
	    {"null", OE_TYPE},
	};
	for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
		char text[300];
		snprintf(
		    text, sizeof text,
		    "{\"status\":\"Accepted\",\"chargingSchedule\":{\"chargingRateUnit\":\"W\","
		    "\"chargingSchedulePeriod\":[{\"startPeriod\":0,\"limit\":%s}]}}",
		    limits[i].limit);
		json_t *p = load(text);
		expect("GetCompositeSchedule", OCPP_CONF, p, limits[i].want, NULL, limits[i].limit);
		json_decref(p);
	}
}

/* Integer fields read through ocpp_schema_int, whatever their spelling. */
static void reading_integers(void **state)
{
	(void)state;
	static const struct {
		const char *json;
		json_int_t want;
	} cases[] = {
	    {"300", 300},
	    {"300.0", 300},
	    {"3e2", 300},
	    {"-1", -1},
	    {"-0.0", 0},
	    {"9223372036854775807", INT64_MAX},
	    {"-9223372036854775808", INT64_MIN},
	    {"1e300", INT64_MAX},
	    {"-1e300", INT64_MIN},
	    {"9007199254740992.0", 9007199254740992},
	    {"1.5", 0},
	    {"\"300\"", 0},
	    {"null", 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *v = json_loads(cases[i].json, JSON_DECODE_ANY, NULL);
		assert_non_null(v);
		if (ocpp_schema_int(v) != cases[i].want)
			fail_msg("%s read as %lld", cases[i].json, (long long)ocpp_schema_int(v));
		json_decref(v);
	}
	assert_int_equal(ocpp_schema_int(NULL), 0);
}

static void date_times(void **state)
{
	(void)state;
	static const char *const good[] = {
	    "2026-01-01T00:00:00Z",	      "2026-01-01T00:00:00.5Z",
	    "2026-01-01T00:00:00.123456789Z", "2026-01-01t00:00:00z",
	    "2026-06-30T14:00:00+02:00",      "2026-06-30T14:00:00-05:30",
	    "2026-06-30T14:00:00-00:00",      "2024-02-29T00:00:00Z",
	    "2000-02-29T23:59:59Z",	      "2026-12-31T23:59:59.999+14:00",
	    "2016-12-31T23:59:60Z",	      "2017-01-01T00:59:60+01:00",
	    "2016-12-31T18:59:60-05:00",      "0000-01-01T00:00:00Z",
	    "9999-12-31T23:59:59Z",
	};
	static const char *const bad_times[] = {
	    "",
	    "2026-01-01",
	    "2026-01-01T00:00:00",
	    "2026-01-01T00:00Z",
	    "2026-01-01 00:00:00Z",
	    "2026-01-01_00:00:00Z",
	    "2026-1-01T00:00:00Z",
	    "26-01-01T00:00:00Z",
	    "+2026-01-01T00:00:00Z",
	    "2026-13-01T00:00:00Z",
	    "2026-00-10T00:00:00Z",
	    "2026-02-29T00:00:00Z",
	    "1900-02-29T00:00:00Z",
	    "2026-04-31T00:00:00Z",
	    "2026-01-00T00:00:00Z",
	    "2026-01-32T00:00:00Z",
	    "2026-01-01T24:00:00Z",
	    "2026-01-01T23:60:00Z",
	    "2026-01-01T12:00:60Z",
	    "2026-01-01T23:59:60+01:00",
	    "2026-01-01T00:00:61Z",
	    "2026-01-01T00:00:00.Z",
	    "2026-01-01T00:00:00,5Z",
	    "2026-01-01T00:00:00+0100",
	    "2026-01-01T00:00:00+01",
	    "2026-01-01T00:00:00+24:00",
	    "2026-01-01T00:00:00+01:60",
	    "2026-01-01T00:00:00ZZ",
	    "2026-01-01T00:00:00Z ",
	    " 2026-01-01T00:00:00Z",
	    "2026-01-01T00:00:00UTC",
	    "\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x96-01-01T00:00:00Z",
	    "1767225600",
	    "2026-01-01T00:00:00.123",
	    "2026-W01-1T00:00:00Z",
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		json_t *p = json_pack("{s:s}", "currentTime", good[i]);
		expect("Heartbeat", OCPP_CONF, p, OE_NONE, NULL, good[i]);
		json_decref(p);
	}
	for (size_t i = 0; i < sizeof bad_times / sizeof bad_times[0]; i++) {
		json_t *p = json_pack("{s:s}", "currentTime", bad_times[i]);
		expect("Heartbeat", OCPP_CONF, p, OE_PROPERTY, "currentTime: must be an RFC 3339",
		       bad_times[i]);
		json_decref(p);
	}
	/* A NUL inside the string (possible only from code, not from JSON). */
	json_t *p = json_object();
	assert_int_equal(
	    json_object_set_new(p, "currentTime", json_stringn("2026-01-01T00:00:00Z\0", 21)), 0);
	expect("Heartbeat", OCPP_CONF, p, OE_PROPERTY, "currentTime:", "NUL");
	json_decref(p);
}

static void uris(void **state)
{
	(void)state;
	static const struct {
		const char *uri;
		bool ok;
	} cases[] = {
	    {"ftp://user:pass@ftp.example.com:21/fw/evsed.bin", true},
	    {"https://example.com/fw?v=1&x=%20y#frag", true},
	    {"http://[2001:db8::1]:8080/upload", true},
	    {"file:///tmp/diag", true},
	    {"urn:isbn:0451450523", true},
	    {"x:", false},
	    {"svn+ssh://host/r", true},
	    {"", false},
	    {"example.com/fw.bin", false},
	    {"/fw.bin", false},
	    {":foo", false},
	    {"1ftp://x", false},
	    {"ht tp://x", false},
	    {"http://exa mple.com", false},
	    {"http://example.com/%zz", false},
	    {"http://example.com/%2", false},
	    {"http://example.com/a\"b", false},
	    {"http://example.com/<a>", false},
	    {"http://\xe4\xbe\x8b\xe3\x81\x88.jp/", false},
	    {"http://example.com/\\", false},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *p = json_pack("{s:s, s:s}", "location", cases[i].uri, "retrieveDate",
				      "2026-01-01T00:00:00Z");
		expect("UpdateFirmware", OCPP_REQ, p, cases[i].ok ? OE_NONE : OE_PROPERTY,
		       cases[i].ok ? NULL : "location: must be a URI", cases[i].uri);
		json_decref(p);
	}
}

/* The message may be NULL or short; it is cut, never overrun. */
static void message_buffer(void **state)
{
	(void)state;
	json_t *p = load("{'idTagInfo':{'status':'Unknown'}}");
	assert_int_equal(ocpp_schema_validate("Authorize", OCPP_CONF, p, NULL, 0), OE_PROPERTY);
	for (size_t len = 1; len < 120; len++) {
		char msg[128];
		memset(msg, 'x', sizeof msg);
		assert_int_equal(ocpp_schema_validate("Authorize", OCPP_CONF, p, msg, len),
				 OE_PROPERTY);
		assert_int_equal(strlen(msg), len - 1 < 82 ? len - 1 : 82);
		assert_int_equal(msg[len], 'x');
	}
	json_decref(p);
	/* A long unknown key is cut in the path, with "..." where it is cut. */
	char key[1000];
	memset(key, 'k', sizeof key - 1);
	key[sizeof key - 1] = '\0';
	p = json_object();
	assert_int_equal(json_object_set_new(p, key, json_true()), 0);
	char msg[512];
	assert_int_equal(ocpp_schema_validate("Heartbeat", OCPP_REQ, p, msg, sizeof msg),
			 OE_FORMATION);
	assert_non_null(strstr(msg, "kkk...: unknown property"));
	json_decref(p);
}

/* The validator only reads: the payload is unchanged and can be checked
 * again with the same verdict. */
static void payload_is_not_changed(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_EXAMPLES; i++) {
		json_t *p = load(examples[i].json), *copy = json_deep_copy(p);
		for (int k = 0; k < 2; k++)
			assert_int_equal(
			    ocpp_schema_validate(examples[i].action, examples[i].dir, p, NULL, 0),
			    OE_NONE);
		assert_true(json_equal(p, copy));
		json_decref(p);
		json_decref(copy);
	}
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(every_action_is_known),
    cmocka_unit_test(examples_are_valid),
    cmocka_unit_test(examples_cover_every_action),
    cmocka_unit_test(removing_a_field),
    cmocka_unit_test(wrong_json_type),
    cmocka_unit_test(unknown_property),
    cmocka_unit_test(field_rules),
    cmocka_unit_test(fields_of_other_messages),
    cmocka_unit_test(number_rules),
    cmocka_unit_test(facts_are_all_exercised),
    cmocka_unit_test(invalid_payloads),
    cmocka_unit_test(payload_not_an_object),
    cmocka_unit_test(integers_and_numbers),
    cmocka_unit_test(reading_integers),
    cmocka_unit_test(date_times),
    cmocka_unit_test(uris),
    cmocka_unit_test(message_buffer),
    cmocka_unit_test(payload_is_not_changed),
};

VCLOCK_MAIN("schema", tests)
