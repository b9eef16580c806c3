// SPDX-License-Identifier: MIT
//
// Browser side of the web UI tests: Debian's Chromium (CHROMIUM, from the
// build) driven by playwright-core. Every page's console errors and uncaught
// exceptions are collected, so a test can require that there were none.

import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

import { assert } from '../integration/lib.mjs';

export const SIZES = { phone: { width: 390, height: 844 }, laptop: { width: 1280, height: 800 } };
export const SHOTS = process.env.EVSED_SHOTS || path.join(process.env.EVSED_TMP || '/tmp', 'web-screenshots');

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    // Root in a container: Chromium's sandbox needs user namespaces.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}

/** A new page at size, trusting evsed's self-signed certificate (that the
 * certificate itself is right is checked by the API tests). errors collects
 * console errors and page exceptions. */
export async function openPage(browser, base, size = 'laptop') {
  const ctx = await browser.newContext({ viewport: SIZES[size], ignoreHTTPSErrors: true, acceptDownloads: true });
  const page = await ctx.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.errors = errors;
  page.base = base;
  return page;
}

/** Log in through the form; the forced password change if asked. */
export async function uiLogin(page, user, password, newPassword) {
  await page.goto(`${page.base}/`);
  await page.getByLabel(/^(User|Utente|Benutzer|Usuario|Utilisateur)$/).fill(user);
  await page.locator('#password').fill(password);
  await page.locator('form.login button[type=submit]').click();
  if (newPassword) {
    await page.locator('#new').waitFor();
    await page.locator('#current').fill(password);
    await page.locator('#new').fill(newPassword);
    await page.locator('form.login button[type=submit]').click();
  }
  await page.locator('#navlist a').first().waitFor({ state: 'attached' });
}

export async function shot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

export function noErrors(page, what) {
  assert.deepEqual(page.errors, [], `${what}: console errors`);
}
