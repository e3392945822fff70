/**
 * Headless Chromium for browser tests: Debian's package at /usr/bin/chromium (installed by
 * scripts/test-deps.sh), driven by playwright-core, which never downloads a browser. Each
 * launch gets a fresh profile directory, removed on close; the flags keep Chromium off the
 * network (no background requests, updates, sync or QUIC) on machines without one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Chromium {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(viewport = { width: 1280, height: 900 }): Promise<Chromium> {
  const profile = mkdtempSync(join(tmpdir(), 'kafscale-chromium-'));
  // launchPersistentContext is how playwright takes a profile directory of ours
  // (--user-data-dir among the args is refused).
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: FLAGS,
    viewport,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
