import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Debian's `chromium` first (what .ci/run installs); `CHROMIUM_BIN` names another one. */
const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

export function findChromium(): string | undefined {
  if (process.env.CHROMIUM_BIN) return process.env.CHROMIUM_BIN;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of NAMES) {
      const file = join(dir, name);
      try {
        accessSync(file, constants.X_OK);
        return file;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/**
 * Runs headless Chromium on a local page with `--dump-dom` (or `--screenshot=FILE`) and returns its stdout:
 * the DOM after load. No sandbox (tests may run as root), no background network, a throw-away profile.
 */
export function headless(
  bin: string,
  profileDir: string,
  url: string,
  action = '--dump-dom',
): Promise<string> {
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-extensions',
    '--hide-scrollbars',
    '--window-size=1280,1000',
    `--user-data-dir=${profileDir}`,
    action,
    url,
  ];
  return new Promise((resolve, reject) => {
    execFile(bin, args, { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${bin} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}
