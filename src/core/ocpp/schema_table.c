/* SPDX-License-Identifier: MIT */
/*
 * OCPP 1.6 message definitions as data, one object per .req / .conf, written
 * from the specification's chapters 6 (messages) and 7 (types) and its JSON
 * schemas: every action of the Core, Firmware Management, Local Auth List
 * Management, Reservation, Smart Charging and Remote Trigger profiles. The
 * field order follows the specification. Cardinalities "1..*" are minItems 1.
 * Of the security extension ("Improved security for OCPP 1.6-J", its JSON
 * schemas) the actions evsed implements: SecurityEventNotification,
 * ExtendedTriggerMessage, GetLog, LogStatusNotification, InstallCertificate,
 * GetInstalledCertificateIds, DeleteCertificate; the others (SignCertificate,
 * CertificateSigned, SignedUpdateFirmware) are not here, so they are answered
 * NotImplemented. Adding an action is adding its objects and one row.
 */
#include "schema_table.h"

#include <stdlib.h>
#include <string.h>

#define REQ true
#define OPT false

#define F_STR(n, len, r)                                                                           \
	{                                                                                          \
		.name = n, .type = SCH_STRING, .required = r, .max_len = len                       \
	}
#define F_TEXT(n, r)                                                                               \
	{                                                                                          \
		.name = n, .type = SCH_STRING, .required = r                                       \
	}
#define F_INT(n, r)                                                                                \
	{                                                                                          \
		.name = n, .type = SCH_INTEGER, .required = r                                      \
	}
#define F_DEC1(n, r)                                                                               \
	{                                                                                          \
		.name = n, .type = SCH_NUMBER, .required = r, .decimal1 = true                     \
	}
#define F_BOOL(n, r)                                                                               \
	{                                                                                          \
		.name = n, .type = SCH_BOOLEAN, .required = r                                      \
	}
#define F_TIME(n, r)                                                                               \
	{                                                                                          \
		.name = n, .type = SCH_DATETIME, .required = r                                     \
	}
#define F_URI(n, r)                                                                                \
	{                                                                                          \
		.name = n, .type = SCH_URI, .required = r                                          \
	}
#define F_ENUM(n, v, r)                                                                            \
	{                                                                                          \
		.name = n, .type = SCH_ENUM, .required = r, .values = v                            \
	}
#define F_OBJ(n, o, r)                                                                             \
	{                                                                                          \
		.name = n, .type = SCH_OBJECT, .required = r, .obj = &o                            \
	}
/* Arrays: of objects with at least min items, of CiStrings. */
#define F_OBJS(n, o, min, r)                                                                       \
	{                                                                                          \
		.name = n, .type = SCH_OBJECT, .required = r, .array = true, .min_items = min,     \
		.obj = &o                                                                          \
	}
#define F_STRS(n, len, r)                                                                          \
	{                                                                                          \
		.name = n, .type = SCH_STRING, .required = r, .array = true, .max_len = len        \
	}

#define OBJECT(name, ...)                                                                          \
	static const struct sch_field name##_fields[] = {__VA_ARGS__};                             \
	static const struct sch_object name = {name##_fields,                                      \
					       sizeof name##_fields / sizeof name##_fields[0]}

/* A payload with no fields: {}. */
static const struct sch_object empty = {NULL, 0};

/* ---- enumerations (chapter 7) ------------------------------------------ */

static const char *const authorization_status[] = {"Accepted", "Blocked",      "Expired",
						   "Invalid",  "ConcurrentTx", NULL};
static const char *const availability_status[] = {"Accepted", "Rejected", "Scheduled", NULL};
static const char *const availability_type[] = {"Inoperative", "Operative", NULL};
static const char *const cancel_reservation_status[] = {"Accepted", "Rejected", NULL};
static const char *const charge_point_error_code[] = {"ConnectorLockFailure",
						      "EVCommunicationError",
						      "GroundFailure",
						      "HighTemperature",
						      "InternalError",
						      "LocalListConflict",
						      "NoError",
						      "OtherError",
						      "OverCurrentFailure",
						      "PowerMeterFailure",
						      "PowerSwitchFailure",
						      "ReaderFailure",
						      "ResetFailure",
						      "UnderVoltage",
						      "OverVoltage",
						      "WeakSignal",
						      NULL};
static const char *const charge_point_status[] = {
    "Available", "Preparing", "Charging",    "SuspendedEVSE", "SuspendedEV",
    "Finishing", "Reserved",  "Unavailable", "Faulted",	      NULL};
static const char *const charging_profile_kind[] = {"Absolute", "Recurring", "Relative", NULL};
static const char *const charging_profile_purpose[] = {"ChargePointMaxProfile", "TxDefaultProfile",
						       "TxProfile", NULL};
static const char *const charging_profile_status[] = {"Accepted", "Rejected", "NotSupported", NULL};
static const char *const charging_rate_unit[] = {"A", "W", NULL};
static const char *const clear_cache_status[] = {"Accepted", "Rejected", NULL};
static const char *const clear_charging_profile_status[] = {"Accepted", "Unknown", NULL};
static const char *const configuration_status[] = {"Accepted", "Rejected", "RebootRequired",
						   "NotSupported", NULL};
static const char *const data_transfer_status[] = {"Accepted", "Rejected", "UnknownMessageId",
						   "UnknownVendorId", NULL};
static const char *const diagnostics_status[] = {"Idle", "Uploaded", "UploadFailed", "Uploading",
						 NULL};
static const char *const firmware_status[] = {
    "Downloaded",	  "DownloadFailed", "Downloading", "Idle",
    "InstallationFailed", "Installing",	    "Installed",   NULL};
static const char *const get_composite_schedule_status[] = {"Accepted", "Rejected", NULL};
static const char *const location[] = {"Cable", "EV", "Inlet", "Outlet", "Body", NULL};
static const char *const measurand[] = {"Energy.Active.Export.Register",
					"Energy.Active.Import.Register",
					"Energy.Reactive.Export.Register",
					"Energy.Reactive.Import.Register",
					"Energy.Active.Export.Interval",
					"Energy.Active.Import.Interval",
					"Energy.Reactive.Export.Interval",
					"Energy.Reactive.Import.Interval",
					"Power.Active.Export",
					"Power.Active.Import",
					"Power.Offered",
					"Power.Reactive.Export",
					"Power.Reactive.Import",
					"Power.Factor",
					"Current.Import",
					"Current.Export",
					"Current.Offered",
					"Voltage",
					"Frequency",
					"Temperature",
					"SoC",
					"RPM",
					NULL};
static const char *const message_trigger[] = {"BootNotification",
					      "DiagnosticsStatusNotification",
					      "FirmwareStatusNotification",
					      "Heartbeat",
					      "MeterValues",
					      "StatusNotification",
					      NULL};
static const char *const phase[] = {"L1",   "L2",    "L3",    "N",     "L1-N", "L2-N",
				    "L3-N", "L1-L2", "L2-L3", "L3-L1", NULL};
static const char *const reading_context[] = {"Interruption.Begin",
					      "Interruption.End",
					      "Sample.Clock",
					      "Sample.Periodic",
					      "Transaction.Begin",
					      "Transaction.End",
					      "Trigger",
					      "Other",
					      NULL};
static const char *const reason[] = {"EmergencyStop", "EVDisconnected", "HardReset",	"Local",
				     "Other",	      "PowerLoss",	"Reboot",	"Remote",
				     "SoftReset",     "UnlockCommand",	"DeAuthorized", NULL};
static const char *const recurrency_kind[] = {"Daily", "Weekly", NULL};
static const char *const registration_status[] = {"Accepted", "Pending", "Rejected", NULL};
static const char *const remote_start_stop_status[] = {"Accepted", "Rejected", NULL};
static const char *const reservation_status[] = {"Accepted", "Faulted",	    "Occupied",
						 "Rejected", "Unavailable", NULL};
static const char *const reset_status[] = {"Accepted", "Rejected", NULL};
static const char *const reset_type[] = {"Hard", "Soft", NULL};
/* The 1.6 schemas spelt Celsius "Celcius"; errata v4 adds the right
 * spelling and asks for both to be accepted (a Charge Point sends Celsius).
 * The errata's "Hertz" is left out: the schemas peers validate with lack it. */
static const char *const unit_of_measure[] = {
    "Wh",   "kWh", "varh", "kvarh", "W",       "kW",	  "VA",		"kVA",	   "var",
    "kvar", "A",   "V",	   "K",	    "Celcius", "Celsius", "Fahrenheit", "Percent", NULL};
static const char *const trigger_message_status[] = {"Accepted", "Rejected", "NotImplemented",
						     NULL};
static const char *const unlock_status[] = {"Unlocked", "UnlockFailed", "NotSupported", NULL};
static const char *const update_status[] = {"Accepted", "Failed", "NotSupported", "VersionMismatch",
					    NULL};
static const char *const update_type[] = {"Differential", "Full", NULL};
static const char *const value_format[] = {"Raw", "SignedData", NULL};

/* ---- composite types (chapter 7) --------------------------------------- */

OBJECT(id_tag_info, F_TIME("expiryDate", OPT), F_STR("parentIdTag", 20, OPT),
       F_ENUM("status", authorization_status, REQ));

OBJECT(sampled_value, F_TEXT("value", REQ), F_ENUM("context", reading_context, OPT),
       F_ENUM("format", value_format, OPT), F_ENUM("measurand", measurand, OPT),
       F_ENUM("phase", phase, OPT), F_ENUM("location", location, OPT),
       F_ENUM("unit", unit_of_measure, OPT));

OBJECT(meter_value, F_TIME("timestamp", REQ), F_OBJS("sampledValue", sampled_value, 1, REQ));

OBJECT(charging_schedule_period, F_INT("startPeriod", REQ), F_DEC1("limit", REQ),
       F_INT("numberPhases", OPT));

OBJECT(charging_schedule, F_INT("duration", OPT), F_TIME("startSchedule", OPT),
       F_ENUM("chargingRateUnit", charging_rate_unit, REQ),
       F_OBJS("chargingSchedulePeriod", charging_schedule_period, 1, REQ),
       F_DEC1("minChargingRate", OPT));

OBJECT(charging_profile, F_INT("chargingProfileId", REQ), F_INT("transactionId", OPT),
       F_INT("stackLevel", REQ), F_ENUM("chargingProfilePurpose", charging_profile_purpose, REQ),
       F_ENUM("chargingProfileKind", charging_profile_kind, REQ),
       F_ENUM("recurrencyKind", recurrency_kind, OPT), F_TIME("validFrom", OPT),
       F_TIME("validTo", OPT), F_OBJ("chargingSchedule", charging_schedule, REQ));

OBJECT(key_value, F_STR("key", 50, REQ), F_BOOL("readonly", REQ), F_STR("value", 500, OPT));

OBJECT(authorization_data, F_STR("idTag", 20, REQ), F_OBJ("idTagInfo", id_tag_info, OPT));

/* ---- messages (chapter 6) ---------------------------------------------- */

/* A confirmation carrying only a status. */
#define STATUS_CONF(name, values) OBJECT(name, F_ENUM("status", values, REQ))

OBJECT(authorize_req, F_STR("idTag", 20, REQ));
OBJECT(authorize_conf, F_OBJ("idTagInfo", id_tag_info, REQ));

OBJECT(boot_notification_req, F_STR("chargePointVendor", 20, REQ),
       F_STR("chargePointModel", 20, REQ), F_STR("chargePointSerialNumber", 25, OPT),
       F_STR("chargeBoxSerialNumber", 25, OPT), F_STR("firmwareVersion", 50, OPT),
       F_STR("iccid", 20, OPT), F_STR("imsi", 20, OPT), F_STR("meterType", 25, OPT),
       F_STR("meterSerialNumber", 25, OPT));
OBJECT(boot_notification_conf, F_ENUM("status", registration_status, REQ),
       F_TIME("currentTime", REQ), F_INT("interval", REQ));

OBJECT(cancel_reservation_req, F_INT("reservationId", REQ));
STATUS_CONF(cancel_reservation_conf, cancel_reservation_status);

OBJECT(change_availability_req, F_INT("connectorId", REQ), F_ENUM("type", availability_type, REQ));
STATUS_CONF(change_availability_conf, availability_status);

OBJECT(change_configuration_req, F_STR("key", 50, REQ), F_STR("value", 500, REQ));
STATUS_CONF(change_configuration_conf, configuration_status);

STATUS_CONF(clear_cache_conf, clear_cache_status);

OBJECT(clear_charging_profile_req, F_INT("id", OPT), F_INT("connectorId", OPT),
       F_ENUM("chargingProfilePurpose", charging_profile_purpose, OPT), F_INT("stackLevel", OPT));
STATUS_CONF(clear_charging_profile_conf, clear_charging_profile_status);

OBJECT(data_transfer_req, F_STR("vendorId", 255, REQ), F_STR("messageId", 50, OPT),
       F_TEXT("data", OPT));
OBJECT(data_transfer_conf, F_ENUM("status", data_transfer_status, REQ), F_TEXT("data", OPT));

OBJECT(diagnostics_status_notification_req, F_ENUM("status", diagnostics_status, REQ));

OBJECT(firmware_status_notification_req, F_ENUM("status", firmware_status, REQ));

OBJECT(get_composite_schedule_req, F_INT("connectorId", REQ), F_INT("duration", REQ),
       F_ENUM("chargingRateUnit", charging_rate_unit, OPT));
OBJECT(get_composite_schedule_conf, F_ENUM("status", get_composite_schedule_status, REQ),
       F_INT("connectorId", OPT), F_TIME("scheduleStart", OPT),
       F_OBJ("chargingSchedule", charging_schedule, OPT));

OBJECT(get_configuration_req, F_STRS("key", 50, OPT));
OBJECT(get_configuration_conf, F_OBJS("configurationKey", key_value, 0, OPT),
       F_STRS("unknownKey", 50, OPT));

OBJECT(get_diagnostics_req, F_URI("location", REQ), F_INT("retries", OPT),
       F_INT("retryInterval", OPT), F_TIME("startTime", OPT), F_TIME("stopTime", OPT));
OBJECT(get_diagnostics_conf, F_STR("fileName", 255, OPT));

OBJECT(get_local_list_version_conf, F_INT("listVersion", REQ));

OBJECT(heartbeat_conf, F_TIME("currentTime", REQ));

OBJECT(meter_values_req, F_INT("connectorId", REQ), F_INT("transactionId", OPT),
       F_OBJS("meterValue", meter_value, 1, REQ));

OBJECT(remote_start_transaction_req, F_INT("connectorId", OPT), F_STR("idTag", 20, REQ),
       F_OBJ("chargingProfile", charging_profile, OPT));
STATUS_CONF(remote_start_transaction_conf, remote_start_stop_status);

OBJECT(remote_stop_transaction_req, F_INT("transactionId", REQ));
STATUS_CONF(remote_stop_transaction_conf, remote_start_stop_status);

OBJECT(reserve_now_req, F_INT("connectorId", REQ), F_TIME("expiryDate", REQ),
       F_STR("idTag", 20, REQ), F_STR("parentIdTag", 20, OPT), F_INT("reservationId", REQ));
STATUS_CONF(reserve_now_conf, reservation_status);

OBJECT(reset_req, F_ENUM("type", reset_type, REQ));
STATUS_CONF(reset_conf, reset_status);

OBJECT(send_local_list_req, F_INT("listVersion", REQ),
       F_OBJS("localAuthorizationList", authorization_data, 0, OPT),
       F_ENUM("updateType", update_type, REQ));
STATUS_CONF(send_local_list_conf, update_status);

OBJECT(set_charging_profile_req, F_INT("connectorId", REQ),
       F_OBJ("csChargingProfiles", charging_profile, REQ));
STATUS_CONF(set_charging_profile_conf, charging_profile_status);

OBJECT(start_transaction_req, F_INT("connectorId", REQ), F_STR("idTag", 20, REQ),
       F_INT("meterStart", REQ), F_INT("reservationId", OPT), F_TIME("timestamp", REQ));
OBJECT(start_transaction_conf, F_OBJ("idTagInfo", id_tag_info, REQ), F_INT("transactionId", REQ));

OBJECT(status_notification_req, F_INT("connectorId", REQ),
       F_ENUM("errorCode", charge_point_error_code, REQ), F_STR("info", 50, OPT),
       F_ENUM("status", charge_point_status, REQ), F_TIME("timestamp", OPT),
       F_STR("vendorId", 255, OPT), F_STR("vendorErrorCode", 50, OPT));

OBJECT(stop_transaction_req, F_STR("idTag", 20, OPT), F_INT("meterStop", REQ),
       F_TIME("timestamp", REQ), F_INT("transactionId", REQ), F_ENUM("reason", reason, OPT),
       F_OBJS("transactionData", meter_value, 0, OPT));
OBJECT(stop_transaction_conf, F_OBJ("idTagInfo", id_tag_info, OPT));

OBJECT(trigger_message_req, F_ENUM("requestedMessage", message_trigger, REQ),
       F_INT("connectorId", OPT));
STATUS_CONF(trigger_message_conf, trigger_message_status);

OBJECT(unlock_connector_req, F_INT("connectorId", REQ));
STATUS_CONF(unlock_connector_conf, unlock_status);

OBJECT(update_firmware_req, F_URI("location", REQ), F_INT("retries", OPT),
       F_TIME("retrieveDate", REQ), F_INT("retryInterval", OPT));

/* ---- the security extension (whitepaper schemas) ------------------------ */

static const char *const extended_message_trigger[] = {
    "BootNotification", "LogStatusNotification",      "FirmwareStatusNotification", "Heartbeat",
    "MeterValues",	"SignChargePointCertificate", "StatusNotification",	    NULL};
static const char *const log_type[] = {"DiagnosticsLog", "SecurityLog", NULL};
static const char *const log_status[] = {"Accepted", "Rejected", "AcceptedCanceled", NULL};
static const char *const upload_log_status[] = {
    "BadMessage", "Idle", "NotSupportedOperation", "PermissionDenied", "Uploaded", "UploadFailure",
    "Uploading",  NULL};

static const char *const certificate_use[] = {"CentralSystemRootCertificate",
					      "ManufacturerRootCertificate", NULL};
static const char *const hash_algorithm[] = {"SHA256", "SHA384", "SHA512", NULL};
static const char *const install_certificate_status[] = {"Accepted", "Failed", "Rejected", NULL};
static const char *const get_installed_certificate_status[] = {"Accepted", "NotFound", NULL};
static const char *const delete_certificate_status[] = {"Accepted", "Failed", "NotFound", NULL};

OBJECT(certificate_hash_data, F_ENUM("hashAlgorithm", hash_algorithm, REQ),
       F_STR("issuerNameHash", 128, REQ), F_STR("issuerKeyHash", 128, REQ),
       F_STR("serialNumber", 40, REQ));
OBJECT(delete_certificate_req, F_OBJ("certificateHashData", certificate_hash_data, REQ));
STATUS_CONF(delete_certificate_conf, delete_certificate_status);
OBJECT(get_installed_certificate_ids_req, F_ENUM("certificateType", certificate_use, REQ));
OBJECT(get_installed_certificate_ids_conf,
       F_OBJS("certificateHashData", certificate_hash_data, 1, OPT),
       F_ENUM("status", get_installed_certificate_status, REQ));
OBJECT(install_certificate_req, F_ENUM("certificateType", certificate_use, REQ),
       F_STR("certificate", 5500, REQ));
STATUS_CONF(install_certificate_conf, install_certificate_status);

static const char *const signed_firmware_status[] = {
    "Downloaded",	  "DownloadFailed",    "Downloading",
    "DownloadScheduled",  "DownloadPaused",    "Idle",
    "InstallationFailed", "Installing",	       "Installed",
    "InstallRebooting",	  "InstallScheduled",  "InstallVerificationFailed",
    "InvalidSignature",	  "SignatureVerified", NULL};
static const char *const update_firmware_status[] = {
    "Accepted", "Rejected", "AcceptedCanceled", "InvalidCertificate", "RevokedCertificate", NULL};

OBJECT(firmware_type, F_STR("location", 512, REQ), F_TIME("retrieveDateTime", REQ),
       F_TIME("installDateTime", OPT), F_STR("signingCertificate", 5500, REQ),
       F_STR("signature", 800, REQ));
OBJECT(signed_update_firmware_req, F_INT("retries", OPT), F_INT("retryInterval", OPT),
       F_INT("requestId", REQ), F_OBJ("firmware", firmware_type, REQ));
STATUS_CONF(signed_update_firmware_conf, update_firmware_status);
OBJECT(signed_firmware_status_notification_req, F_ENUM("status", signed_firmware_status, REQ),
       F_INT("requestId", OPT));

static const char *const generic_status[] = {"Accepted", "Rejected", NULL};
OBJECT(sign_certificate_req, F_STR("csr", 5500, REQ));
STATUS_CONF(sign_certificate_conf, generic_status);
OBJECT(certificate_signed_req, F_STR("certificateChain", 10000, REQ));
STATUS_CONF(certificate_signed_conf, generic_status);

OBJECT(extended_trigger_message_req, F_ENUM("requestedMessage", extended_message_trigger, REQ),
       F_INT("connectorId", OPT));
OBJECT(log_parameters, F_STR("remoteLocation", 512, REQ), F_TIME("oldestTimestamp", OPT),
       F_TIME("latestTimestamp", OPT));
OBJECT(get_log_req, F_OBJ("log", log_parameters, REQ), F_ENUM("logType", log_type, REQ),
       F_INT("requestId", REQ), F_INT("retries", OPT), F_INT("retryInterval", OPT));
OBJECT(get_log_conf, F_ENUM("status", log_status, REQ), F_STR("filename", 255, OPT));
OBJECT(log_status_notification_req, F_ENUM("status", upload_log_status, REQ),
       F_INT("requestId", OPT));
OBJECT(security_event_notification_req, F_STR("type", 50, REQ), F_TIME("timestamp", REQ),
       F_STR("techInfo", 255, OPT));

/* ---- the actions, sorted by name --------------------------------------- */

static const struct sch_action actions[] = {
    {"Authorize", &authorize_req, &authorize_conf},
    {"BootNotification", &boot_notification_req, &boot_notification_conf},
    {"CancelReservation", &cancel_reservation_req, &cancel_reservation_conf},
    {"CertificateSigned", &certificate_signed_req, &certificate_signed_conf},
    {"ChangeAvailability", &change_availability_req, &change_availability_conf},
    {"ChangeConfiguration", &change_configuration_req, &change_configuration_conf},
    {"ClearCache", &empty, &clear_cache_conf},
    {"ClearChargingProfile", &clear_charging_profile_req, &clear_charging_profile_conf},
    {"DataTransfer", &data_transfer_req, &data_transfer_conf},
    {"DeleteCertificate", &delete_certificate_req, &delete_certificate_conf},
    {"DiagnosticsStatusNotification", &diagnostics_status_notification_req, &empty},
    {"ExtendedTriggerMessage", &extended_trigger_message_req, &trigger_message_conf},
    {"FirmwareStatusNotification", &firmware_status_notification_req, &empty},
    {"GetCompositeSchedule", &get_composite_schedule_req, &get_composite_schedule_conf},
    {"GetConfiguration", &get_configuration_req, &get_configuration_conf},
    {"GetDiagnostics", &get_diagnostics_req, &get_diagnostics_conf},
    {"GetInstalledCertificateIds", &get_installed_certificate_ids_req,
     &get_installed_certificate_ids_conf},
    {"GetLocalListVersion", &empty, &get_local_list_version_conf},
    {"GetLog", &get_log_req, &get_log_conf},
    {"Heartbeat", &empty, &heartbeat_conf},
    {"InstallCertificate", &install_certificate_req, &install_certificate_conf},
    {"LogStatusNotification", &log_status_notification_req, &empty},
    {"MeterValues", &meter_values_req, &empty},
    {"RemoteStartTransaction", &remote_start_transaction_req, &remote_start_transaction_conf},
    {"RemoteStopTransaction", &remote_stop_transaction_req, &remote_stop_transaction_conf},
    {"ReserveNow", &reserve_now_req, &reserve_now_conf},
    {"Reset", &reset_req, &reset_conf},
    {"SecurityEventNotification", &security_event_notification_req, &empty},
    {"SendLocalList", &send_local_list_req, &send_local_list_conf},
    {"SetChargingProfile", &set_charging_profile_req, &set_charging_profile_conf},
    {"SignCertificate", &sign_certificate_req, &sign_certificate_conf},
    {"SignedFirmwareStatusNotification", &signed_firmware_status_notification_req, &empty},
    {"SignedUpdateFirmware", &signed_update_firmware_req, &signed_update_firmware_conf},
    {"StartTransaction", &start_transaction_req, &start_transaction_conf},
    {"StatusNotification", &status_notification_req, &empty},
    {"StopTransaction", &stop_transaction_req, &stop_transaction_conf},
    {"TriggerMessage", &trigger_message_req, &trigger_message_conf},
    {"UnlockConnector", &unlock_connector_req, &unlock_connector_conf},
    {"UpdateFirmware", &update_firmware_req, &empty},
};

static int cmp_action(const void *key, const void *row)
{
	return strcmp(key, ((const struct sch_action *)row)->name);
}

const struct sch_action *ocpp_schema_find(const char *action)
{
	if (!action)
		return NULL;
	return bsearch(action, actions, sizeof actions / sizeof actions[0], sizeof actions[0],
		       cmp_action);
}

const struct sch_action *ocpp_schema_actions(size_t *n)
{
	*n = sizeof actions / sizeof actions[0];
	return actions;
}
