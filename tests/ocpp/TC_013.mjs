// SPDX-License-Identifier: MIT
//
// OCTT TC_013_CS "Hard Reset Without transaction" (C2): tests/ocpp/lib/reset.mjs
// with Reset type Hard.
import { resetWithoutTransaction } from './lib/reset.mjs';

resetWithoutTransaction('TC_013', 'Hard');
