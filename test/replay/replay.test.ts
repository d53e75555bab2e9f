import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { request } from 'undici';
import { rateLimitCost } from '../../src/api/api-types.js';
import { startEmulator } from '../../src/emulator/index.js';
import { FakeClock } from '../../src/util/clock.js';
import {
  type Cassette,
  type Interaction,
  loadAllCassettes,
  MARKERS,
  PLACEHOLDER_VALUES,
} from './cassette.js';
import { type Headers, headerProblems } from './headers.js';
import { preconditionsFor } from './preconditions.js';
import { compareShape, describeDifferences } from './shape.js';

/**
 * Replays every recorded request against an emulator seeded with what the recording's account held, and
 * compares each answer with the recorded one: status, the headers clients rely on, how the rate-limit budget
 * moves, and the body's shape and values (see shape.ts for what is not compared).
 */

const cassettes = loadAllCassettes();
const library = new Map(cassettes.map((c) => [c.name, c]));
const TOKEN_PATH = '/v2/oauth2/token';
let replayed = 0;

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

async function send(origin: string, i: Interaction, token: string | undefined): Promise<Answer> {
  const headers: Record<string, string> = {};
  const contentType = i.request.headers['content-type']?.[0];
  if (contentType) headers['content-type'] = contentType;
  const auth = i.request.headers.authorization?.[0];
  if (auth) headers.authorization = auth.replace(MARKERS.HELP_SCOUT_ACCESS_TOKEN, token ?? 'no-token-yet');
  const res = await request(`${origin}${i.request.pathAndQuery}`, {
    method: i.request.method as 'GET',
    headers,
    body: i.request.body === '' ? null : i.request.body,
  });
  const out: Headers = {};
  for (const [k, v] of Object.entries(res.headers)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v : [v];
  }
  return { status: res.statusCode, headers: out, text: await res.body.text() };
}

const remaining = (h: Headers): number | undefined => {
  const v = h['x-ratelimit-remaining-minute']?.[0];
  return v === undefined ? undefined : Number(v);
};

/** `_embedded.<key>[].id` in order, or undefined when the body has no such list. */
function listIds(body: unknown, key: string): number[] | undefined {
  const list = (body as { _embedded?: Record<string, { id: number }[]> } | undefined)?._embedded?.[key];
  return list?.map((item) => item.id);
}

async function replay(cassette: Cassette): Promise<string[]> {
  const pre = preconditionsFor(cassette, library);
  const limit = Number(
    cassette.interactions.find((i) => i.response.headers['x-ratelimit-limit-minute'])?.response.headers[
      'x-ratelimit-limit-minute'
    ]?.[0] ?? 400,
  );
  const emu = await startEmulator({
    ...pre.options,
    // One fixed minute: the window never rolls over between the calls of a recording.
    clock: new FakeClock(Date.UTC(2019, 5, 2, 13, 47, 0)),
    rateLimitPerMinute: limit,
    credentials: [{ clientId: MARKERS.HELP_SCOUT_APP_ID, clientSecret: MARKERS.HELP_SCOUT_APP_SECRET }],
  });
  const origin = emu.url.replace(/\/v2\/$/, '');
  const problems: string[] = [];
  let token: string | undefined;
  let previous: { recorded: number; actual: number } | undefined;
  try {
    for (const [n, i] of cassette.interactions.entries()) {
      const where = `#${n} ${i.request.method} ${i.request.pathAndQuery}`;
      const got = await send(origin, i, token);
      const say = (p: string) => problems.push(`${where}: ${p}`);
      if (got.status !== i.response.status) say(`status ${got.status}, recorded ${i.response.status}`);
      for (const p of headerProblems(i.response.headers, got.headers)) say(p);

      const json = got.text.trim() === '' ? undefined : JSON.parse(got.text);
      if (i.response.json === undefined) {
        if (got.text !== '') say(`body ${JSON.stringify(got.text.slice(0, 80))}, recorded empty`);
      } else if (json === undefined) {
        say('empty body, recorded JSON');
      } else {
        const diffs = compareShape(i.response.json, json, {
          exemptValuePaths: new Set(pre.exemptValuePaths ?? []),
          placeholders: PLACEHOLDER_VALUES,
        });
        if (diffs.length > 0) say(`body differs:\n${describeDifferences(diffs)}`);
        if (pre.orderedList) {
          const want = listIds(i.response.json, pre.orderedList);
          const have = listIds(json, pre.orderedList)?.slice(0, want?.length);
          if (want && JSON.stringify(want) !== JSON.stringify(have)) {
            say(
              `_embedded.${pre.orderedList} order ${JSON.stringify(have)}, recorded ${JSON.stringify(want)}`,
            );
          }
        }
      }

      if (i.request.pathAndQuery === TOKEN_PATH) {
        token = (json as { access_token?: string } | undefined)?.access_token;
        // The token call is free: the budget of the calls after it starts from a full minute.
        continue;
      }
      const r = remaining(i.response.headers);
      const a = remaining(got.headers);
      if (r === undefined || a === undefined) continue;
      const cost = rateLimitCost(i.request.method);
      if (previous === undefined) {
        if (a !== limit - cost)
          say(`remaining ${a} after the first call, expected ${limit - cost} (cost ${cost})`);
        if (r > limit - cost) say(`recording's remaining ${r} exceeds limit - cost: cost rule broken`);
      } else {
        const recordedDrop = previous.recorded - r;
        const actualDrop = previous.actual - a;
        if (recordedDrop !== actualDrop) say(`remaining dropped by ${actualDrop}, recorded ${recordedDrop}`);
      }
      previous = { recorded: r, actual: a };
    }
    replayed += 1;
  } finally {
    await emu.close();
  }
  return problems;
}

describe('recorded Help Scout traffic replayed against the emulator', () => {
  after(() => {
    console.log(`replayed ${replayed} of ${cassettes.length} recordings`);
  });

  for (const cassette of cassettes) {
    const calls = cassette.interactions.length;
    test(`${cassette.name} (${calls} call${calls === 1 ? '' : 's'})`, async () => {
      const problems = await replay(cassette);
      assert.deepEqual(problems, [], `${cassette.name}:\n${problems.join('\n')}`);
    });
  }

  test(`all ${cassettes.length} recordings in the folder were replayed`, () => {
    assert.ok(cassettes.length >= 16, `expected the 16 recordings, found ${cassettes.length}`);
    assert.equal(replayed, cassettes.length);
  });
});
