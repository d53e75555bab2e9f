import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

/** Keys that could ever hold a secret: censored wherever they appear in a log line. */
const REDACT = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'accessToken',
  '*.accessToken',
  'access_token',
  '*.access_token',
  'appSecret',
  '*.appSecret',
  'client_secret',
  '*.client_secret',
];

/**
 * The run's structured log: every event as JSON in `logFile`, and readable on stderr too (a line per event
 * when piped), one event per outcome with stable keys.
 */
export function createLogger(level: string, logFile: string | undefined): Logger {
  const streams: pino.StreamEntry[] = [];
  if (logFile) {
    mkdirSync(dirname(logFile), { recursive: true, mode: 0o700 });
    streams.push({
      level: level as pino.Level,
      stream: pino.destination({ dest: logFile, sync: true, mode: 0o600 }),
    });
  }
  // Piped (a service, a CI job), each event is one readable line with its time; the JSON is in logFile.
  const stderr = process.stderr.isTTY
    ? pretty({ destination: clearingLine(), colorize: colorWanted(), sync: true, ignore: 'pid,hostname' })
    : pretty({
        destination: 2,
        colorize: false,
        sync: true,
        singleLine: true,
        // An `error` key is a message here, kept on the event's line; `err` is an Error, with its stack.
        errorLikeObjectKeys: ['err'],
        ignore: 'pid,hostname',
        translateTime: 'SYS:yyyy-mm-dd HH:MM:ss',
      });
  streams.push({ level: level as pino.Level, stream: stderr });
  return pino(
    {
      level,
      redact: { paths: REDACT, censor: '[redacted]' },
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    pino.multistream(streams),
  );
}

/**
 * stderr on a terminal, each event first clearing the line it starts on: the progress line has no newline
 * until it is rewritten, and an event must not be glued to its end (the next tick redraws it below).
 */
function clearingLine(): Writable {
  return new Writable({
    write(chunk, _encoding, done) {
      process.stderr.write(`\r\u001b[2K${String(chunk)}`);
      done();
    },
  });
}

/** Colour only where nobody asked for none (https://no-color.org: NO_COLOR set and not empty). */
export function colorWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return !env.NO_COLOR;
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
