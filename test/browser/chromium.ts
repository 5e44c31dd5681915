/** Debian's Chromium for the browser tests, and their screenshots. */
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { TEST_OUTPUT } from '../support/process-harness';

/** Debian's Chromium, with the flags this closed-network machine needs (no background connections, no sandbox as root). */
export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const SCREENSHOTS = path.join(TEST_OUTPUT, 'screenshots');
const DOCS_SCREENSHOTS = path.resolve(__dirname, '..', '..', 'docs', 'screenshots');

/** Into test-output/screenshots/; with TANDEM_UPDATE_SCREENSHOTS=1 also into docs/screenshots/ (the README's). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, name);
  await page.screenshot({ path: file, fullPage: true });
  if (process.env.TANDEM_UPDATE_SCREENSHOTS !== '1') return;
  mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
  copyFileSync(file, path.join(DOCS_SCREENSHOTS, name));
}
