// SPDX-License-Identifier: MIT
//
// OCTT TC_014_CS "Soft Reset Without Transaction" (C2): tests/ocpp/lib/reset.mjs
// with Reset type Soft.
import { resetWithoutTransaction } from './lib/reset.mjs';

resetWithoutTransaction('TC_014', 'Soft');
