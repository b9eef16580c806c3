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
S(DATA_DIR, "data_dir", ST_STRING, 1, 200, "", SF_STARTUP, NULL, NULL, NULL,
  "./var", NULL, NULL, NULL, "where the store lives")
S(CONTROL_SOCKET, "control.socket", ST_STRING, 0, 100, "", SF_STARTUP, NULL, NULL, NULL,
  "", NULL, NULL, NULL, "control socket path; empty = data_dir/evsed.sock")
S(WEB_LISTEN, "web.listen", ST_STRING, 0, 64, "", SF_REBOOT, NULL, chk_host_port, NULL,
  "127.0.0.1:8443", NULL, NULL, NULL, "address:port of the web UI and REST API")
S(OCPP_URL, "ocpp.url", ST_STRING, 0, 512, "", SF_NONE, NULL, chk_ws_url, NULL,
  "", NULL, NULL, NULL, "CSMS URL without the charge point id; empty = no CSMS")
S(OCPP_ID, "ocpp.id", ST_STRING, 0, 48, "", SF_NONE, NULL, chk_identity, NULL,
  "", NULL, NULL, NULL, "charge point identity; empty = the serial number")
S(OCPP_PASSWORD, "ocpp.password", ST_STRING, 0, 64, "", SF_SECRET, NULL, NULL, NULL,
  "", NULL, NULL, NULL, "HTTP Basic auth password for the CSMS")
S(AUTH_REQUIRED, "auth.required", ST_BOOL, 0, 0, "", SF_NONE, NULL, NULL, NULL,
  "true", NULL, NULL, NULL, "a session needs an authorized id tag (false: free charging)")
S(AUTH_DEFAULT_ID_TAG, "auth.default_id_tag", ST_STRING, 1, 20, "", SF_NONE, NULL, chk_id_tag, NULL,
  "default", NULL, NULL, NULL, "id tag used for free charging")
S(AUTH_PNC_ID, "auth.plug_and_charge_id", ST_STRING, 0, 20, "", SF_NONE, NULL, chk_pnc_id, NULL,
  "", NULL, NULL, NULL, "MQ200 Plug and Charge ID (8-20 characters): sessions start on plug with it")
S(AUTH_RFID_ENABLED, "auth.rfid_enabled", ST_BOOL, 0, 0, "", SF_NONE, NULL, NULL, NULL,
  "true", NULL, NULL, NULL, "the RFID reader is used")
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
