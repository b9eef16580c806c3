/* SPDX-License-Identifier: MIT */
/*
 * THE settings registry: one row per setting. Included twice by settings.h
 * (ids) and settings.c (rows). Columns:
 *   id, name, type, min, max, unit, flags, OCPP key name (or NULL),
 *   check function (or NULL), enum values ("a|b") or NULL,
 *   default, default io7, default mq200, default evplus (NULL = default),
 *   help text
 * For strings, max is the maximum length in bytes.
 */
/* clang-format off */
S(PROFILE, "profile", ST_ENUM, 0, 0, "", SF_STARTUP, NULL, NULL, "io7|mq200|evplus",
  "io7", NULL, NULL, NULL, "product profile")
S(HAL, "hal", ST_ENUM, 0, 0, "", SF_STARTUP, NULL, NULL, "sim",
  "sim", NULL, NULL, NULL, "hardware backend")
S(CLOCK, "clock", ST_ENUM, 0, 0, "", SF_STARTUP, NULL, NULL, "real|sim",
  "real", NULL, NULL, NULL, "real time, or simulated time moved by 'evsectl time advance'")
S(CLOCK_SIM_START, "clock.sim_start", ST_STRING, 0, 20, "", SF_STARTUP, NULL, chk_utc_or_empty, NULL,
  "", NULL, NULL, NULL, "UTC start of the simulated clock (YYYY-MM-DDTHH:MM:SSZ); empty = now")
S(TIME_ZONE, "time.zone", ST_STRING, 1, 64, "", SF_NONE, NULL, chk_time_zone, NULL,
  "Europe/London", NULL, "America/Los_Angeles", "Europe/Rome", "local time zone: a POSIX TZ rule (GMT0BST,M3.5.0/1,M10.5.0) or Europe/London, Europe/Rome, Europe/Berlin, Europe/Madrid, Europe/Paris, America/Los_Angeles, America/Denver, America/Chicago, America/New_York, UTC")
S(DATA_DIR, "data_dir", ST_STRING, 1, 200, "", SF_STARTUP, NULL, NULL, NULL,
  "./var", NULL, NULL, NULL, "where the store lives")
S(CONTROL_SOCKET, "control.socket", ST_STRING, 0, 100, "", SF_STARTUP, NULL, NULL, NULL,
  "", NULL, NULL, NULL, "control socket path; empty = data_dir/evsed.sock")
S(WEB_LISTEN, "web.listen", ST_STRING, 0, 64, "", SF_REBOOT, NULL, chk_host_port, NULL,
  "127.0.0.1:8443", NULL, NULL, NULL, "address:port of the web UI and REST API (HTTPS); empty or off = no web UI")
S(WEB_CERT, "web.cert", ST_STRING, 0, 200, "", SF_REBOOT, NULL, NULL, NULL,
  "", NULL, NULL, NULL, "PEM certificate of the web UI; empty = a self-signed one made at first start in data_dir")
S(WEB_KEY, "web.key", ST_STRING, 0, 200, "", SF_REBOOT, NULL, NULL, NULL,
  "", NULL, NULL, NULL, "PEM private key of web.cert; empty = the one made with the self-signed certificate")
S(OCPP_URL, "ocpp.url", ST_STRING, 0, 512, "", SF_REBOOT, NULL, chk_ws_url, NULL,
  "", NULL, NULL, NULL, "CSMS URL without the charge point id; empty = no CSMS")
S(OCPP_ID, "ocpp.id", ST_STRING, 0, 48, "", SF_REBOOT, NULL, chk_identity, NULL,
  "", NULL, NULL, NULL, "charge point identity; empty = the serial number")
S(OCPP_PASSWORD, "ocpp.password", ST_STRING, 0, 64, "", SF_SECRET, "AuthorizationKey", NULL, NULL,
  "", NULL, NULL, NULL, "HTTP Basic auth password for the CSMS (the CSMS sets it as AuthorizationKey: 16-40 characters, write-only)")
S(OCPP_CA_FILE, "ocpp.ca_file", ST_STRING, 0, 200, "", SF_REBOOT, NULL, NULL, NULL,
  "", NULL, NULL, NULL, "PEM CA bundle that verifies a wss:// CSMS; empty = the system's")
S(OCPP_CALL_TIMEOUT, "ocpp.call_timeout", ST_INT, 5, 600, "s", SF_NONE, NULL, NULL, NULL,
  "30", NULL, "60", NULL, "time to wait for the answer to a message (MQ200 PDU Timeout)")
S(OCPP_BOOT_INTERVAL, "ocpp.boot_interval", ST_INT, 10, 86400, "s", SF_NONE, NULL, NULL, NULL,
  "60", NULL, "600", NULL, "BootNotification retry interval when the CSMS gives none")
S(OCPP_RECONNECT_MAX, "ocpp.reconnect_max", ST_INT, 1, 3600, "s", SF_NONE, NULL, NULL, NULL,
  "120", NULL, NULL, NULL, "longest wait between reconnection attempts (exponential back-off with jitter)")
S(HEARTBEAT_INTERVAL, "HeartbeatInterval", ST_INT, 0, 86400, "s", SF_NONE,
  "HeartbeatInterval", NULL, NULL,
  "300", NULL, NULL, NULL, "heartbeat interval; set by BootNotification.conf")
S(WEBSOCKET_PING_INTERVAL, "WebSocketPingInterval", ST_INT, 0, 3600, "s", SF_NONE,
  "WebSocketPingInterval", NULL, NULL,
  "60", NULL, "120", NULL, "WebSocket ping interval; 0 = no pings")
S(FIRMWARE_INSTALLER, "firmware.installer", ST_ENUM, 0, 0, "", SF_STARTUP, NULL, NULL, "sim|command",
  "sim", NULL, NULL, NULL, "how a firmware image is installed: sim records its version only; command runs firmware.install_command")
S(FIRMWARE_INSTALL_COMMAND, "firmware.install_command", ST_STRING, 0, 200, "", SF_STARTUP, NULL, NULL, NULL,
  "", NULL, NULL, NULL, "installer program run as: <command> <payload file> <version> (an A/B updater or package install wrapper); exit 0 = installed")
S(SECURITY_PROFILE, "SecurityProfile", ST_INT, 0, 3, "", SF_NONE, "SecurityProfile",
  NULL, NULL,
  "0", NULL, NULL, NULL, "OCPP security profile: 0 none, 1 Basic auth (ocpp.password), 2 TLS (wss://; a ws:// ocpp.url is used as wss://) + Basic auth, 3 TLS + the client certificate of CertificateSigned; the CSMS may raise it, never lower it; a change reconnects at once and falls back if it cannot connect")
S(CPO_NAME, "CpoName", ST_STRING, 0, 64, "", SF_NONE, "CpoName", NULL, NULL,
  "", NULL, NULL, NULL, "CPO name (or an organization the CPO trusts): the Organization (O) of the charge point certificate's request (SignCertificate); empty: ExtendedTriggerMessage SignChargePointCertificate is Rejected")
S(MINIMUM_STATUS_DURATION, "MinimumStatusDuration", ST_INT, 0, 3600, "s", SF_NONE,
  "MinimumStatusDuration", NULL, NULL,
  "0", NULL, "10", NULL, "a status must last this long before it is reported")
S(AUTHORIZATION_CACHE_ENABLED, "AuthorizationCacheEnabled", ST_BOOL, 0, 0, "", SF_NONE,
  "AuthorizationCacheEnabled", NULL, NULL,
  "true", NULL, NULL, NULL, "remember id tags the CSMS authorized")
S(AUTHORIZE_REMOTE_TX_REQUESTS, "AuthorizeRemoteTxRequests", ST_BOOL, 0, 0, "", SF_NONE,
  "AuthorizeRemoteTxRequests", NULL, NULL,
  "false", NULL, "true", NULL, "authorize the id tag of a RemoteStartTransaction first")
S(LOCAL_AUTHORIZE_OFFLINE, "LocalAuthorizeOffline", ST_BOOL, 0, 0, "", SF_NONE,
  "LocalAuthorizeOffline", NULL, NULL,
  "true", NULL, NULL, NULL, "offline, start for id tags the cache accepts")
S(LOCAL_PRE_AUTHORIZE, "LocalPreAuthorize", ST_BOOL, 0, 0, "", SF_NONE,
  "LocalPreAuthorize", NULL, NULL,
  "false", NULL, "true", NULL, "online, start for cached id tags without asking the CSMS")
S(ALLOW_OFFLINE_TX_FOR_UNKNOWN_ID, "AllowOfflineTxForUnknownId", ST_BOOL, 0, 0, "", SF_NONE,
  "AllowOfflineTxForUnknownId", NULL, NULL,
  "false", NULL, "true", NULL, "offline, start for id tags nobody knows")
S(STOP_TX_ON_INVALID_ID, "StopTransactionOnInvalidId", ST_BOOL, 0, 0, "", SF_NONE,
  "StopTransactionOnInvalidId", NULL, NULL,
  "true", NULL, NULL, NULL, "stop a transaction whose id tag StartTransaction.conf refuses")
S(MAX_ENERGY_ON_INVALID_ID, "MaxEnergyOnInvalidId", ST_INT, 0, 1000000, "Wh", SF_NONE,
  "MaxEnergyOnInvalidId", NULL, NULL,
  "0", NULL, "7360", NULL, "energy still delivered after an id tag is refused (when not stopped)")
S(LOCAL_AUTH_LIST_ENABLED, "LocalAuthListEnabled", ST_BOOL, 0, 0, "", SF_NONE,
  "LocalAuthListEnabled", NULL, NULL,
  "true", NULL, NULL, NULL, "use the Local Authorization List the CSMS sends (SendLocalList)")
S(LOCAL_AUTH_LIST_MAX_LENGTH, "LocalAuthListMaxLength", ST_INT, 1, 10000, "", SF_STARTUP,
  "LocalAuthListMaxLength", NULL, NULL,
  "1000", NULL, "100", NULL, "most entries in the Local Authorization List; read-only for the CSMS")
S(SEND_LOCAL_LIST_MAX_LENGTH, "SendLocalListMaxLength", ST_INT, 1, 10000, "", SF_STARTUP,
  "SendLocalListMaxLength", NULL, NULL,
  "1000", NULL, "100", NULL, "most entries in one SendLocalList.req; read-only for the CSMS")
S(METER_VALUE_SAMPLE_INTERVAL, "MeterValueSampleInterval", ST_INT, 0, 86400, "s", SF_NONE,
  "MeterValueSampleInterval", NULL, NULL,
  "60", NULL, NULL, NULL, "interval of sampled meter values during a transaction; 0 = none")
S(CLOCK_ALIGNED_DATA_INTERVAL, "ClockAlignedDataInterval", ST_INT, 0, 86400, "s", SF_NONE,
  "ClockAlignedDataInterval", NULL, NULL,
  "0", NULL, NULL, NULL, "interval of clock-aligned meter values from midnight; 0 = none")
S(METER_VALUES_SAMPLED_DATA, "MeterValuesSampledData", ST_STRING, 0, 500, "", SF_NONE,
  "MeterValuesSampledData", chk_measurands, NULL,
  "Energy.Active.Import.Register,Power.Active.Import", NULL, NULL, NULL,
  "measurands of sampled meter values")
S(METER_VALUES_ALIGNED_DATA, "MeterValuesAlignedData", ST_STRING, 0, 500, "", SF_NONE,
  "MeterValuesAlignedData", chk_measurands, NULL,
  "Energy.Active.Import.Register", NULL, NULL, NULL, "measurands of clock-aligned meter values")
S(STOP_TXN_SAMPLED_DATA, "StopTxnSampledData", ST_STRING, 0, 500, "", SF_NONE,
  "StopTxnSampledData", chk_measurands, NULL,
  "Energy.Active.Import.Register", NULL, NULL, NULL, "sampled measurands in StopTransaction's transactionData")
S(STOP_TXN_ALIGNED_DATA, "StopTxnAlignedData", ST_STRING, 0, 500, "", SF_NONE,
  "StopTxnAlignedData", chk_measurands, NULL,
  "", NULL, NULL, NULL, "clock-aligned measurands in StopTransaction's transactionData")
S(METER_VALUES_SAMPLED_DATA_MAX_LENGTH, "MeterValuesSampledDataMaxLength", ST_INT, 1, 100, "", SF_READONLY,
  "MeterValuesSampledDataMaxLength", NULL, NULL, "10", NULL, NULL, NULL, "most measurands in MeterValuesSampledData")
S(METER_VALUES_ALIGNED_DATA_MAX_LENGTH, "MeterValuesAlignedDataMaxLength", ST_INT, 1, 100, "", SF_READONLY,
  "MeterValuesAlignedDataMaxLength", NULL, NULL, "10", NULL, NULL, NULL, "most measurands in MeterValuesAlignedData")
S(STOP_TXN_SAMPLED_DATA_MAX_LENGTH, "StopTxnSampledDataMaxLength", ST_INT, 1, 100, "", SF_READONLY,
  "StopTxnSampledDataMaxLength", NULL, NULL, "10", NULL, NULL, NULL, "most measurands in StopTxnSampledData")
S(STOP_TXN_ALIGNED_DATA_MAX_LENGTH, "StopTxnAlignedDataMaxLength", ST_INT, 1, 100, "", SF_READONLY,
  "StopTxnAlignedDataMaxLength", NULL, NULL, "10", NULL, NULL, NULL, "most measurands in StopTxnAlignedData")
S(TRANSACTION_MESSAGE_ATTEMPTS, "TransactionMessageAttempts", ST_INT, 1, 100, "", SF_NONE,
  "TransactionMessageAttempts", NULL, NULL,
  "3", NULL, "10", NULL, "tries of a transaction message the CSMS fails to process")
S(TRANSACTION_MESSAGE_RETRY_INTERVAL, "TransactionMessageRetryInterval", ST_INT, 1, 86400, "s", SF_NONE,
  "TransactionMessageRetryInterval", NULL, NULL,
  "60", NULL, "10", NULL, "wait before retrying, times the number of tries so far")
S(RESET_RETRIES, "ResetRetries", ST_INT, 0, 10, "", SF_NONE, "ResetRetries", NULL, NULL,
  "1", NULL, "0", NULL, "tries of an unsuccessful reset")
S(GET_CONFIGURATION_MAX_KEYS, "GetConfigurationMaxKeys", ST_INT, 1, 1000, "", SF_READONLY,
  "GetConfigurationMaxKeys", NULL, NULL, "100", NULL, "60", NULL, "most keys in one GetConfiguration.req")
S(SUPPORTED_FEATURE_PROFILES, "SupportedFeatureProfiles", ST_STRING, 0, 200, "", SF_READONLY,
  "SupportedFeatureProfiles", NULL, NULL, "Core,FirmwareManagement,LocalAuthListManagement,Reservation,RemoteTrigger,SmartCharging", NULL, NULL, NULL, "OCPP feature profiles this charger supports")
S(SUPPORTED_FEATURE_PROFILES_MAX_LENGTH, "SupportedFeatureProfilesMaxLength", ST_INT, 1, 10, "", SF_READONLY,
  "SupportedFeatureProfilesMaxLength", NULL, NULL, "6", NULL, NULL, NULL, "most items in SupportedFeatureProfiles")
S(CONNECTOR_PHASE_ROTATION_MAX_LENGTH, "ConnectorPhaseRotationMaxLength", ST_INT, 1, 10, "", SF_READONLY,
  "ConnectorPhaseRotationMaxLength", NULL, NULL, "3", NULL, "2", "2", "most items in ConnectorPhaseRotation")
S(RESERVE_CONNECTOR_ZERO_SUPPORTED, "ReserveConnectorZeroSupported", ST_BOOL, 0, 0, "", SF_STARTUP,
  "ReserveConnectorZeroSupported", NULL, NULL,
  "true", NULL, NULL, NULL, "ReserveNow for connector 0 (any connector of the charger) is accepted; read-only for the CSMS")
S(CHARGE_PROFILE_MAX_STACK_LEVEL, "ChargeProfileMaxStackLevel", ST_INT, 0, 1000, "", SF_STARTUP,
  "ChargeProfileMaxStackLevel", NULL, NULL,
  "99", NULL, NULL, NULL, "highest stackLevel of a charging profile (C8); read-only for the CSMS")
S(CHARGING_SCHEDULE_ALLOWED_UNIT, "ChargingScheduleAllowedChargingRateUnit", ST_STRING, 0, 20, "", SF_READONLY,
  "ChargingScheduleAllowedChargingRateUnit", NULL, NULL,
  "Current,Power", NULL, NULL, NULL, "units of charging schedules: A (Current) and W (Power)")
S(CHARGING_SCHEDULE_MAX_PERIODS, "ChargingScheduleMaxPeriods", ST_INT, 1, 64, "", SF_STARTUP,
  "ChargingScheduleMaxPeriods", NULL, NULL,
  "32", NULL, NULL, NULL, "most periods in one charging schedule (C8); read-only for the CSMS")
S(MAX_CHARGING_PROFILES_INSTALLED, "MaxChargingProfilesInstalled", ST_INT, 1, 64, "", SF_STARTUP,
  "MaxChargingProfilesInstalled", NULL, NULL,
  "10", NULL, NULL, NULL, "most charging profiles installed at a time (C8); read-only for the CSMS")
S(AUTH_REQUIRED, "auth.required", ST_BOOL, 0, 0, "", SF_NONE, NULL, NULL, NULL,
  "true", NULL, NULL, NULL, "a session needs an authorized id tag (false: free charging)")
S(AUTH_DEFAULT_ID_TAG, "auth.default_id_tag", ST_STRING, 1, 20, "", SF_NONE, NULL, chk_id_tag, NULL,
  "default", NULL, NULL, NULL, "id tag used for free charging")
S(AUTH_PNC_ID, "auth.plug_and_charge_id", ST_STRING, 0, 20, "", SF_NONE, NULL, chk_pnc_id, NULL,
  "", NULL, NULL, NULL, "MQ200 Plug and Charge ID (8-20 characters): sessions start on plug with it")
S(AUTH_RFID_ENABLED, "auth.rfid_enabled", ST_BOOL, 0, 0, "", SF_NONE, NULL, NULL, NULL,
  "true", NULL, NULL, NULL, "the RFID reader is used")
S(SOUND_ENABLED, "sound.enabled", ST_BOOL, 0, 0, "", SF_NONE, NULL, NULL, NULL,
  "true", NULL, NULL, NULL, "beeps for accepted and refused cards (F4)")
S(LIGHT_INTENSITY, "LightIntensity", ST_INT, 0, 100, "%", SF_NONE, "LightIntensity", NULL, NULL,
  "100", NULL, NULL, NULL, "LED brightness (F2)")
S(LED_DIM_AFTER, "led.dim_after", ST_INT, 0, 3600, "s", SF_NONE, NULL, NULL, NULL,
  "0", NULL, "60", NULL, "MQ200 Dim Option: the LEDs dim this long after the connector's status or LED pattern last changed; 0 = never")
S(LED_DIM_INTENSITY, "led.dim_intensity", ST_INT, 0, 100, "%", SF_NONE, NULL, NULL, NULL,
  "10", NULL, NULL, NULL, "MQ200 Dim Intensity: LED brightness once dimmed (never above LightIntensity)")
S(TILT_ENABLED, "tilt.enabled", ST_BOOL, 0, 0, "", SF_NONE, NULL, NULL, NULL,
  "false", NULL, NULL, NULL, "io7 tilt / bump detection")
S(TILT_BUMP_G, "tilt.bump_g", ST_DOUBLE, 1, 15, "g", SF_NONE, NULL, NULL, NULL,
  "4", NULL, NULL, NULL, "io7 bump acceleration threshold")
S(TILT_ANGLE, "tilt.angle", ST_DOUBLE, 1, 80, "deg", SF_NONE, NULL, NULL, NULL,
  "30", NULL, NULL, NULL, "io7 tilt angle threshold")
S(TILT_ZERO_G, "tilt.zero_g", ST_DOUBLE, 0, 2, "g", SF_NONE, NULL, NULL, NULL,
  "0", NULL, NULL, NULL, "accelerometer reference: the reading at rest, set by calibrate (G6); bump is measured from it")
S(TILT_ZERO_ANGLE, "tilt.zero_angle", ST_DOUBLE, 0, 45, "deg", SF_NONE, NULL, NULL, NULL,
  "0", NULL, NULL, NULL, "tilt reference: the mounting angle from vertical, set by calibrate (G6); tilt is measured from it")
S(POLICY_NO_CHARGE_ENABLED, "policy.no_charge_enabled", ST_BOOL, 0, 0, "", SF_NONE, NULL, NULL, NULL,
  "false", "true", NULL, NULL, "default no-charging periods in force (D1, UK Smart Charge Points Regulations)")
S(POLICY_NO_CHARGE_1, "policy.no_charge_1", ST_STRING, 0, 11, "", SF_NONE, NULL, chk_no_charge_period, NULL,
  "08:00-11:00", NULL, NULL, NULL, "no-charging period 1, local time HH:MM-HH:MM (may cross midnight); empty = none")
S(POLICY_NO_CHARGE_2, "policy.no_charge_2", ST_STRING, 0, 11, "", SF_NONE, NULL, chk_no_charge_period, NULL,
  "16:00-22:00", NULL, NULL, NULL, "no-charging period 2, local time HH:MM-HH:MM (may cross midnight); empty = none")
S(POLICY_RANDOM_DELAY_MAX, "policy.random_delay_max", ST_INT, 0, 1800, "s", SF_NONE, NULL, NULL, NULL,
  "0", "600", NULL, NULL, "randomised delay before power is offered: at most this long (D2); 0 = none")
S(HOURS_MON, "hours.mon", ST_STRING, 4, 9, "", SF_NONE, NULL, chk_hours, NULL,
  "0000-2359", NULL, NULL, NULL, "Monday hours of operation HHMM-HHMM, end minute included, or closed (D3); CSMS profiles supersede")
S(HOURS_TUE, "hours.tue", ST_STRING, 4, 9, "", SF_NONE, NULL, chk_hours, NULL,
  "0000-2359", NULL, NULL, NULL, "Tuesday hours of operation")
S(HOURS_WED, "hours.wed", ST_STRING, 4, 9, "", SF_NONE, NULL, chk_hours, NULL,
  "0000-2359", NULL, NULL, NULL, "Wednesday hours of operation")
S(HOURS_THU, "hours.thu", ST_STRING, 4, 9, "", SF_NONE, NULL, chk_hours, NULL,
  "0000-2359", NULL, NULL, NULL, "Thursday hours of operation")
S(HOURS_FRI, "hours.fri", ST_STRING, 4, 9, "", SF_NONE, NULL, chk_hours, NULL,
  "0000-2359", NULL, NULL, NULL, "Friday hours of operation")
S(HOURS_SAT, "hours.sat", ST_STRING, 4, 9, "", SF_NONE, NULL, chk_hours, NULL,
  "0000-2359", NULL, NULL, NULL, "Saturday hours of operation")
S(HOURS_SUN, "hours.sun", ST_STRING, 4, 9, "", SF_NONE, NULL, chk_hours, NULL,
  "0000-2359", NULL, NULL, NULL, "Sunday hours of operation")
S(COLD_LOAD_MAX_DELAY, "cold_load.max_delay", ST_INT, 0, 3600, "s", SF_NONE, NULL, chk_cold_load, NULL,
  "720", NULL, NULL, NULL, "after a power loss, charging waits a random 120 s to this long (A12, MQ200 Cold Load Pickup Max Delay); 0 = no wait")
S(RESUME_AFTER_REBOOT, "resume_after_reboot", ST_BOOL, 0, 0, "", SF_NONE, NULL, NULL, NULL,
  "true", NULL, "false", NULL, "after a power loss, an EV still plugged charges again (A12); false: only once replugged or started by a card or the CSMS")
S(REBOOT_PERIOD, "reboot.period", ST_INT, 0, 525600, "min", SF_NONE, NULL, chk_reboot_period, NULL,
  "0", NULL, "10080", NULL, "periodic reboot (G6, MQ200 Reboot Period): restart every this many minutes, counted from the start or the last change, and only once no transaction runs; 0 = never")
S(INSTALLER_NAME, "installer.name", ST_STRING, 0, 64, "", SF_NONE, NULL, chk_text, NULL,
  "", NULL, NULL, NULL, "installer's name (G6 installer information)")
S(INSTALLER_COMPANY, "installer.company", ST_STRING, 0, 64, "", SF_NONE, NULL, chk_text, NULL,
  "", NULL, NULL, NULL, "installer's company")
S(INSTALLER_EMAIL, "installer.email", ST_STRING, 0, 100, "", SF_NONE, NULL, chk_email, NULL,
  "", NULL, NULL, NULL, "installer's e-mail address")
S(CHARGER_SERIAL, "charger.serial", ST_STRING, 1, 25, "", SF_NONE, NULL, chk_identity, NULL,
  "EVSED000001", "RATIOIO7000001", "MQ200-000001", "EVPLUS000001", "serial number")
S(CHARGER_CURRENT_LIMIT, "charger.current_limit", ST_DOUBLE, 6, 63, "A", SF_NONE, NULL, NULL, NULL,
  "32", NULL, "50", NULL, "installer limit: maximum current of the installation, shared by the connectors")
S(SUPPLY_PHASES, "supply.phases", ST_INT, 1, 3, "", SF_NONE, NULL, chk_phases, NULL,
  "3", NULL, "1", NULL, "phases wired to the charger (1 or 3)")
S(SUPPLY_VOLTAGE, "supply.voltage", ST_DOUBLE, 100, 277, "V", SF_REBOOT, NULL, NULL, NULL,
  "230", NULL, "240", NULL, "nominal phase voltage used for power")
S(SUPPLY_FREQUENCY, "supply.frequency", ST_ENUM, 0, 0, "Hz", SF_REBOOT, NULL, NULL, "50|60",
  "50", NULL, "60", NULL, "mains frequency")
S(SUPPLY_EARTHING, "supply.earthing", ST_ENUM, 0, 0, "", SF_NONE, NULL, NULL, "TN|TT|IT",
  "TN", NULL, NULL, NULL, "earthing system")
S(LM_MODE, "lm.mode", ST_ENUM, 0, 0, "", SF_NONE, NULL, NULL, "off|static|dynamic|export|solar",
  "off", NULL, NULL, NULL, "site load management: off, static (against lm.site_limit), dynamic (site limit minus the other loads the site meter measures), export / solar (only the surplus exported)")
S(LM_SITE_LIMIT, "lm.site_limit", ST_DOUBLE, 6, 2000, "A", SF_NONE, NULL, NULL, NULL,
  "100", NULL, NULL, NULL, "site supply limit per phase (main fuse)")
S(LM_MARGIN, "lm.margin", ST_DOUBLE, 0, 100, "A", SF_NONE, NULL, NULL, NULL,
  "0", NULL, NULL, NULL, "taken off the site limit")
S(LM_MIN_CURRENT, "lm.min_current", ST_DOUBLE, 6, 32, "A", SF_NONE, NULL, NULL, NULL,
  "6", NULL, NULL, NULL, "minimum charge amount: export / solar charging holds at least this once started")
S(LM_EXPORT_THRESHOLD, "lm.export_threshold", ST_DOUBLE, 0, 100, "A", SF_NONE, NULL, NULL, NULL,
  "6", NULL, NULL, NULL, "export current needed to start charging in export / solar mode")
S(LM_EXPORT_HYSTERESIS, "lm.export_hysteresis", ST_BOOL, 0, 0, "", SF_NONE, NULL, NULL, NULL,
  "false", NULL, NULL, NULL, "export / solar: stop only when the export stays below lm.export_low_bound")
S(LM_EXPORT_LOW_BOUND, "lm.export_low_bound", ST_DOUBLE, 0, 32, "A", SF_NONE, NULL, NULL, NULL,
  "0", NULL, NULL, NULL, "export / solar with hysteresis: stop below this export")
S(LM_REEVAL_MIN_CHANGE, "lm.reeval_min_change", ST_DOUBLE, 0, 32, "A", SF_NONE, NULL, NULL, NULL,
  "0.1", NULL, NULL, NULL, "smallest increase of the offer worth making")
S(LM_REEVAL_TIME, "lm.reeval_time", ST_INT, 1, 3600, "s", SF_NONE, NULL, NULL, NULL,
  "10", NULL, NULL, NULL, "time between increases of the offer (decreases are at once)")
S(METER_SITE, "meter.site", ST_STRING, 0, 200, "", SF_REBOOT, NULL, chk_meter_site, NULL,
  "none", NULL, NULL, NULL, "site meter at the supply: none, sim (other loads set with evsectl load), modbus-rtu:DEVICE:BAUD:PARITY:ADDRESS:MODEL or modbus-tcp:HOST:PORT:UNIT:MODEL; models sdm630, sdm120, abb-b23, em340, eem-350, finder-7m, iem3x5x, dtsu666, ct-clamp")
S(METER_POLL_MS, "meter.poll_ms", ST_INT, 200, 60000, "ms", SF_REBOOT, NULL, NULL, NULL,
  "1000", NULL, NULL, NULL, "Modbus site meter: time between reads")
S(METER_TIMEOUT, "meter.timeout", ST_INT, 1, 600, "s", SF_NONE, NULL, NULL, NULL,
  "10", NULL, NULL, NULL, "Modbus site meter: no valid reading for this long raises meter_timeout and load management falls to lm.min_current")
S(GROUP_MODE, "group.mode", ST_ENUM, 0, 0, "", SF_REBOOT, NULL, NULL, "off|auto|master|member",
  "off", NULL, NULL, NULL, "group load balancing between chargers (E4-E6): off, auto (the lowest id among the reachable members is master), master (io7 Force Master, MQ200 Gateway), member (MQ200 Client, never master)")
S(GROUP_ID, "group.id", ST_STRING, 0, 32, "", SF_REBOOT, NULL, chk_identity, NULL,
  "", NULL, NULL, NULL, "group name; messages of other groups are rejected; needed with group.mode on")
S(GROUP_KEY, "group.key", ST_STRING, 0, 64, "", SF_SECRET | SF_REBOOT, NULL, NULL, NULL,
  "", NULL, NULL, NULL, "shared secret (16-64 characters with group.mode on): authenticates and encrypts every group message (AES-256-GCM, key from HKDF-SHA256)")
S(GROUP_PORT, "group.port", ST_INT, 1024, 65535, "", SF_REBOOT, NULL, NULL, NULL,
  "7878", NULL, NULL, NULL, "UDP port of the group protocol")
S(GROUP_PEERS, "group.peers", ST_STRING, 0, 500, "", SF_REBOOT, NULL, chk_peers, NULL,
  "", NULL, NULL, NULL, "comma-separated IPv4 host:port of the other members (unicast); empty = multicast discovery on 239.255.78.78")
S(GROUP_LIMIT, "group.limit", ST_DOUBLE, 0, 2000, "A", SF_NONE, NULL, NULL, NULL,
  "0", NULL, NULL, NULL, "group total current per phase (MQ200 Max Amperage Grid Connection, io7 Group Total Current Limit); 0 = none")
S(GROUP_BALANCING, "group.balancing", ST_ENUM, 0, 0, "", SF_NONE, NULL, NULL, "static|dynamic",
  "static", NULL, NULL, NULL, "static: the whole group limit; dynamic: the group limit minus the other loads on the master's site meter (a negative reading never raises it)")
S(GROUP_POLICY, "group.policy", ST_ENUM, 0, 0, "", SF_NONE, NULL, NULL, "uniform|fifs",
  "uniform", NULL, NULL, NULL, "uniform (MQ200 Uniform Distribution) or fifs (First In First Serve)")
S(GROUP_SIZE, "group.size", ST_INT, 0, 32, "", SF_NONE, NULL, NULL, NULL,
  "0", NULL, NULL, NULL, "expected number of chargers (MQ200 Group Size): absent ones count as offline; 0 = as discovered")
S(GROUP_FALLBACK, "group.fallback", ST_DOUBLE, 0, 80, "A", SF_NONE, NULL, chk_fallback, NULL,
  "6", NULL, NULL, NULL, "current per connector without a valid offer (MQ200 Fallback Current); the master's value is pushed to the members; 0 or 6-80")
S(GROUP_OFFLINE_STRATEGY, "group.offline_strategy", ST_ENUM, 0, 0, "", SF_NONE, NULL, NULL, "zero_all|min_all|offline_all|offline_offline",
  "offline_offline", NULL, NULL, NULL, "a charger offline: zero_all (everybody 0 A), min_all (everybody at most 6 A), offline_all (everybody at most group.offline_reserved), offline_offline (group.offline_reserved kept for each offline charger) (io7)")
S(GROUP_OFFLINE_RESERVED, "group.offline_reserved", ST_DOUBLE, 0, 80, "A", SF_NONE, NULL, NULL, NULL,
  "6", NULL, NULL, NULL, "io7 Offline Reserved: current per offline charger (offline_all, offline_offline)")
S(GROUP_ANNOUNCE, "group.announce", ST_DOUBLE, 0.1, 60, "s", SF_NONE, NULL, NULL, NULL,
  "1", NULL, NULL, NULL, "how often each charger sends its state and the master its offers")
S(GROUP_OFFER_VALIDITY, "group.offer_validity", ST_DOUBLE, 0.3, 600, "s", SF_NONE, NULL, NULL, NULL,
  "5", NULL, NULL, NULL, "an offer holds this long; a member without a newer one falls back to group.fallback")
S(GROUP_MEMBER_TIMEOUT, "group.member_timeout", ST_DOUBLE, 0.3, 600, "s", SF_NONE, NULL, NULL, NULL,
  "5", NULL, NULL, NULL, "a charger not heard for this long is offline (and a master lost: another is elected)")
S(GROUP_ROTATE_TIME, "group.rotate_time", ST_INT, 0, 86400, "s", SF_NONE, NULL, NULL, NULL,
  "600", NULL, NULL, NULL, "when the limit cannot give every EV 6 A, an EV served this long gives its turn to one waiting since before; 0 = the EVs that asked last wait")
S(CONNECTOR_PHASE_ROTATION, "ConnectorPhaseRotation", ST_STRING, 0, 200, "", SF_NONE,
  "ConnectorPhaseRotation", chk_phase_rotation, NULL,
  "1.RST,2.RST", NULL, "1.NotApplicable", "1.RST", "phase rotation per connector (OCPP list)")
S(CONNECTION_TIMEOUT, "ConnectionTimeOut", ST_INT, 10, 3600, "s", SF_NONE,
  "ConnectionTimeOut", NULL, NULL,
  "120", NULL, "900", NULL, "EV connect timeout after an authorization")
S(STOP_TX_ON_EV_DISCONNECT, "StopTransactionOnEVSideDisconnect", ST_BOOL, 0, 0, "", SF_NONE,
  "StopTransactionOnEVSideDisconnect", NULL, NULL,
  "true", NULL, NULL, NULL, "stop the transaction when the cable is unplugged from the EV")
S(UNLOCK_ON_EV_DISCONNECT, "UnlockConnectorOnEVSideDisconnect", ST_BOOL, 0, 0, "", SF_NONE,
  "UnlockConnectorOnEVSideDisconnect", NULL, NULL,
  "true", NULL, NULL, NULL, "unlock the socket when the cable is unplugged from the EV")
S(NUMBER_OF_CONNECTORS, "NumberOfConnectors", ST_INT, 1, 4, "", SF_READONLY,
  "NumberOfConnectors", NULL, NULL,
  "2", NULL, "1", "1", "number of connectors (from the profile)")
S(SIM_EV_MAX_CURRENT, "sim.ev_max_current", ST_DOUBLE, 6, 80, "A", SF_REBOOT, NULL, NULL, NULL,
  "32", NULL, "48", NULL, "simulated EV: maximum current it draws per phase")
S(SIM_EV_PHASES, "sim.ev_phases", ST_INT, 1, 3, "", SF_REBOOT, NULL, NULL, NULL,
  "3", NULL, "1", NULL, "simulated EV: phases its on-board charger uses")
S(SIM_CABLE_RATING, "sim.cable_rating", ST_ENUM, 0, 0, "A", SF_REBOOT, NULL, NULL, "13|20|32|63",
  "32", NULL, NULL, NULL, "simulated charging cable rating (PP) for socket connectors")
S(SIM_DIP, "sim.dip", ST_STRING, 3, 3, "", SF_REBOOT, NULL, chk_dip, NULL,
  "110", NULL, NULL, NULL, "simulated DIP switches SW1 SW2 SW3 (1 = ON), read at boot (MQ200)")
/* clang-format on */
