/* SPDX-License-Identifier: MIT */
/* The version of evsed (firmwareVersion in BootNotification, --version). */
#ifndef EVSED_VERSION_H
#define EVSED_VERSION_H

#define EVSED_VERSION_STRING "0.1.0"

#endif
