/** Runs an emulator on a data file in its own process (for the kill -9 test); prints its URL on stdout. */
import { startEmulator } from '../../src/emulator/index.js';

const dataFile = process.argv[2];
if (!dataFile) throw new Error('usage: emulator-child-process.ts <dataFile>');
const emu = await startEmulator({ dataFile, accessTokens: ['child-token'] });
process.stdout.write(`${emu.url}\n`);
