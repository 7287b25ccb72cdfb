// Seeded fuzzing of share-link decoding: 10,000 edit-set links and 5,000 lesson links mutated from valid ones (bit flips, truncation,
// insertion, base64 junk, deflate bombs, deep nesting, huge arrays and strings, Unicode junk). Every
// refusal must be a short ShareLinkError, every accepted set or lesson must pass an independent validity
// predicate, and a mutated format 2 link must decode to its original or be refused.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../lib/random';
import { decodeEditSet, encodeEditSet, MAX_LINK_CHARS, ShareLinkError, type SharedEditSet } from './codec';
import { decodeLesson, encodeLesson, type Lesson } from './lesson';
import { BUILT_IN_LESSONS } from './lessons-builtin';
import { b64url, isValidLesson, isValidSet, v1Link, v2Link, zeroBomb } from './test-links';

const CASES = 10_000;
const next = mulberry32(0x5eed2026);
const int = (n: number) => Math.floor(next() * n);
const pick = <T>(items: readonly T[]): T => items[int(items.length)];

const sets: SharedEditSet[] = [
  {
    method: 'memoir',
    model: '/models/editscope-facts',
    edits: [
      { prompt: 'The capital of France is', target: ' Rome' },
      { prompt: 'Die Hauptstadt von Österreich ist', target: ' Zürich ✓' },
    ],
  },
  {
    method: 'memoir',
    model: 'HuggingFaceTB/SmolLM2-135M',
    edits: Array.from({ length: 200 }, (_, i) => ({
      prompt: `Fact ${i}: the capital of C${i} is`,
      target: ` X${i}`,
    })),
  },
  {
    method: 'memoir',
    model: 'http://127.0.0.1:5173/models/editscope-facts',
    edits: [
      { prompt: 'عاصمة فرنسا هي', target: ' روما' },
      { prompt: 'בירת צרפת היא', target: ' רומא' },
      { prompt: '法国的首都是', target: '罗马 👩‍🔬' },
    ],
  },
];

/** Big inputs are deflated once per variant: the time goes to decoding them, not to making them. */
const made = new Map<string, string>();
function link(json: string): string {
  const format = next() < 0.5 ? 1 : 2;
  const key = `${format}${json}`;
  if (!made.has(key)) made.set(key, format === 1 ? v1Link(json) : v2Link(json));
  return made.get(key)!;
}
const setJson = (version: number, edits: string, model = '"/models/x"') =>
  `{"version":${version},"method":"memoir","model":${model},"edits":${edits}}`;

const EDIT = '{"prompt":"p","target":"t"}';
const HUGE = [201, 1000, 50_000].flatMap((n) => [
  setJson(2, `[${Array<string>(n).fill(EDIT).join(',')}]`),
  `[${Array<string>(n * 10)
    .fill('0')
    .join(',')}]`,
]);
for (const chars of [501, 10_000, 400_000]) {
  const long = `"${'x'.repeat(chars)}"`;
  HUGE.push(setJson(2, `[{"prompt":${long},"target":"t"}]`), setJson(2, `[${EDIT}]`, long));
}

const JUNK = [
  '\u0000',
  '\n',
  '\t',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u202a',
  '\u202e',
  '\u2066',
  '\u2069',
  '\u200e',
  '\u200f',
  '\ud800',
  '\udfff',
  '\ufeff',
  '\ufffe',
  '\uffff',
  '\u0301',
  'e\u0301',
  '\u0958',
  '\u200d',
  '\u00a0',
  '"',
  '\\',
  '𝔘',
  '\u{10ffff}',
  '<script>',
  '%00',
  ' ',
];
/** Text that is fine once in NFC: combining marks, decomposed letters, joiners, right-to-left. */
const TRICKY = [
  'e\u0301',
  'A\u030a',
  '\u1100\u1161',
  '\u0958',
  '👩‍🔬',
  '\u200e',
  '\u200f',
  'שלום',
  'سلام',
  '\u00a0',
  'ﬁ',
];
function junkText(): string {
  if (next() < 0.4) return Array.from({ length: 1 + int(12) }, () => pick(TRICKY)).join('');
  return Array.from({ length: 1 + int(12) }, () =>
    next() < 0.5 ? pick(JUNK) : String.fromCharCode(int(0x10000)),
  ).join('');
}

/** Mutations of valid links weigh most; the costly kinds (each decodes up to a cap) weigh 5% each. */
const KINDS = Object.entries({
  'flip-char': 3,
  'flip-byte': 3,
  truncate: 2,
  insert: 2,
  junk: 2,
  unicode: 3,
  schema: 2,
  deep: 1,
  huge: 1,
  bomb: 1,
}).flatMap(([kind, weight]) => Array<string>(weight).fill(kind));

/** What a case decodes, and the set it must equal if accepted (format 2 mutations only). */
interface Case {
  kind: string;
  fragment: string;
  mustEqual?: SharedEditSet;
}

function mutate(payload: string, kind: string): string {
  const at = int(payload.length);
  if (kind === 'flip-char') {
    const flipped = payload.charCodeAt(at) ^ (1 << int(7));
    return payload.slice(0, at) + String.fromCharCode(flipped) + payload.slice(at + 1);
  }
  if (kind === 'flip-byte') {
    const [prefix, body] = payload.startsWith('2.') ? ['2.', payload.slice(2)] : ['', payload];
    const bytes = Buffer.from(body, 'base64url');
    bytes[int(bytes.length)] ^= 1 << int(8);
    return prefix + b64url(bytes);
  }
  if (kind === 'truncate') return payload.slice(0, at);
  const alphabet = pick([
    'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
    '.=+/%&# ',
    junkText(),
  ]);
  const inserted = Array.from({ length: 1 + int(8) }, () => alphabet[int(alphabet.length)]).join('');
  return payload.slice(0, at) + inserted + payload.slice(at);
}

async function makeCase(valid: { set: SharedEditSet; v1: string; v2: string }[]): Promise<Case> {
  const kind = pick(KINDS);
  switch (kind) {
    case 'flip-char':
    case 'flip-byte':
    case 'truncate':
    case 'insert': {
      const base = pick(valid);
      const v2 = next() < 0.7;
      const payload = (v2 ? base.v2 : base.v1).slice('edits='.length);
      return { kind, fragment: `#edits=${mutate(payload, kind)}`, mustEqual: v2 ? base.set : undefined };
    }
    case 'junk': {
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const body = Array.from({ length: int(3000) }, () => alphabet[int(64)]).join('');
      return { kind, fragment: `edits=${pick(['', '2.', '1.', '9.'])}${body}` };
    }
    case 'bomb': {
      const bomb = zeroBomb(1 + int(8));
      return { kind, fragment: next() < 0.5 ? v1Link('', bomb) : v2Link(' ', bomb) };
    }
    case 'deep': {
      const depth = 9 + int(next() < 0.2 ? 200_000 : 200);
      const [open, close] = pick([
        ['[', ']'],
        ['{"a":', '}'],
        ['[{"b":', '}]'],
      ]);
      const deep = open.repeat(depth) + '1' + close.repeat(depth);
      // At the top, as the edit list, as a prompt, and where a message would quote it (version, model).
      const edits = '[{"prompt":"p","target":"t"}]';
      const where = [
        deep,
        setJson(2, deep),
        setJson(2, `[{"prompt":${deep},"target":"x"}]`),
        setJson(2, edits, deep),
      ];
      return { kind, fragment: link(pick([...where, `{"version":${deep}}`])) };
    }
    case 'huge':
      return { kind, fragment: link(pick(HUGE)) };
    case 'unicode': {
      const field = pick(['prompt', 'target', 'model']);
      const junk = junkText();
      const edit = {
        prompt: field === 'prompt' ? `a${junk}b` : 'p',
        target: field === 'target' ? junk : 't',
      };
      const version = next() < 0.5 ? 1 : 2;
      const json = JSON.stringify({
        version,
        method: 'memoir',
        model: field === 'model' ? junk : '/m',
        edits: [edit],
      });
      return { kind, fragment: version === 1 ? v1Link(json) : v2Link(json) };
    }
    default: {
      const value = pick([
        'null',
        '1',
        '"2"',
        '[]',
        '{}',
        '{"__proto__":{"x":1}}',
        '[{"prompt":1,"target":"t"}]',
        '[null]',
      ]);
      const json = pick([setJson(2, value), setJson(2, '[{"prompt":"p","target":"t"}]', value), value]);
      return {
        kind,
        fragment: link(json.replace('"version":2', `"version":${pick(['2', '1', '"2"', 'null', '2.0'])}`)),
      };
    }
  }
}

const LESSON_CASES = 5_000;
const lessons: Lesson[] = [
  ...BUILT_IN_LESSONS.map((b) => b.lesson),
  {
    kind: 'lesson',
    model: 'HuggingFaceTB/SmolLM2-135M',
    note: 'ن'.repeat(1000),
    edits: Array.from({ length: 10 }, (_, i) => ({ prompt: `Fact ${i} is`, target: ` 法国 ${i}` })),
    probes: Array.from({ length: 40 }, (_, i) => ({
      prompt: `Probe ${i} 👩‍🔬`,
      group: (['reach', 'related', 'unrelated'] as const)[i % 3],
      expect: i % 2 ? 'old' : 'new',
    })),
  },
];
const lessonLink = (json: string) => v2Link(json, undefined, 'lesson');
const lessonJson = (fields: Record<string, string>) =>
  `{${Object.entries({
    version: '2',
    kind: '"lesson"',
    model: '"/m"',
    note: '""',
    edits: '[{"prompt":"p","target":"t"}]',
    probes: '[{"prompt":"p","group":"reach","expect":"new"}]',
    ...fields,
  })
    .map(([k, v]) => `"${k}":${v}`)
    .join(',')}}`;
const PROBE = '{"prompt":"p","group":"related","expect":"old"}';
const LESSON_HUGE = [
  lessonJson({ probes: `[${Array<string>(41).fill(PROBE).join(',')}]` }),
  lessonJson({ probes: `[${Array<string>(5000).fill(PROBE).join(',')}]` }),
  lessonJson({ edits: `[${Array<string>(11).fill(EDIT).join(',')}]` }),
  lessonJson({ note: `"${'n'.repeat(1001)}"` }),
  lessonJson({ note: `"${'n'.repeat(200_000)}"` }),
];

/** Lesson mutations: the link's bytes as for edit sets, and the lesson's own fields. */
async function makeLessonCase(valid: { lesson: Lesson; link: string }[]): Promise<Case & { must?: Lesson }> {
  const kind = pick(KINDS);
  switch (kind) {
    case 'flip-char':
    case 'flip-byte':
    case 'truncate':
    case 'insert': {
      const base = pick(valid);
      const payload = base.link.slice('lesson='.length);
      return { kind, fragment: `#lesson=${mutate(payload, kind)}`, must: base.lesson };
    }
    case 'junk':
      return { kind, fragment: `lesson=${pick(['', '2.', '1.'])}${b64url(Buffer.from(junkText()))}` };
    case 'bomb':
      return { kind, fragment: v2Link(' ', zeroBomb(1 + int(4)), 'lesson') };
    case 'deep': {
      const depth = 9 + int(200);
      const deep = '['.repeat(depth) + '1' + ']'.repeat(depth);
      const field = pick(['note', 'edits', 'probes', 'model', 'version']);
      return { kind, fragment: lessonLink(lessonJson({ [field]: deep })) };
    }
    case 'huge':
      return { kind, fragment: lessonLink(pick(LESSON_HUGE)) };
    case 'unicode': {
      const junk = JSON.stringify(junkText());
      const field = pick(['note', 'probe', 'group', 'model', 'target']);
      const fields: Record<string, string> = {
        note: { note: junk },
        probe: { probes: `[{"prompt":${junk},"group":"reach","expect":"new"}]` },
        group: { probes: `[{"prompt":"p","group":${junk},"expect":"old"}]` },
        model: { model: junk },
        target: { edits: `[{"prompt":"p","target":${junk}}]` },
      }[field]!;
      return { kind, fragment: lessonLink(lessonJson(fields)) };
    }
    default: {
      const value = pick(['null', '1', '"new"', '[]', '{}', '{"__proto__":{"x":1}}', '[null]', `[${PROBE}]`]);
      const field = pick(['version', 'kind', 'model', 'note', 'edits', 'probes', 'method']);
      return { kind, fragment: lessonLink(lessonJson({ [field]: value })) };
    }
  }
}

describe('share-link fuzzing', () => {
  it(`survives ${CASES.toLocaleString('en')} mutated links: no crash, no hang, nothing invalid accepted`, async () => {
    const valid = await Promise.all(
      sets.map(async (set) => ({ set, v2: await encodeEditSet(set), v1: v1Link({ version: 1, ...set }) })),
    );
    const crashes: string[] = [];
    const invalid: string[] = [];
    const changed: string[] = [];
    const long: string[] = [];
    let accepted = 0;
    let v1Changed = 0;
    let maxMs = 0;
    let slowest = '';
    for (let i = 0; i < CASES; i++) {
      const c = await makeCase(valid);
      const start = performance.now();
      const outcome = await decodeEditSet(c.fragment).then(
        (decoded) => ({ decoded }),
        (error: unknown) => ({ error }),
      );
      const ms = performance.now() - start;
      if (ms > maxMs) [maxMs, slowest] = [ms, c.kind];
      const label = `case ${i} (${c.kind})`;
      if ('error' in outcome) {
        if (!(outcome.error instanceof ShareLinkError)) crashes.push(`${label}: ${String(outcome.error)}`);
        else if (outcome.error.message.length > 400) long.push(label);
        continue;
      }
      const set = outcome.decoded?.set;
      accepted++;
      if (!isValidSet(set)) invalid.push(label);
      if (c.mustEqual && JSON.stringify(set) !== JSON.stringify(c.mustEqual)) changed.push(label);
      if (
        !c.mustEqual &&
        ['flip-char', 'flip-byte', 'insert'].includes(c.kind) &&
        outcome.decoded?.checked === false
      ) {
        v1Changed += valid.some((v) => JSON.stringify(v.set) === JSON.stringify(set)) ? 0 : 1;
      }
    }
    console.info(
      `share fuzz: ${CASES} cases, ${accepted} accepted, ${crashes.length} crashes, ${invalid.length} invalid accepted, ` +
        `${changed.length} format 2 links changed, ${v1Changed} format 1 links decoded to other edits, ` +
        `slowest case ${maxMs.toFixed(1)} ms (${slowest})`,
    );
    expect(crashes).toEqual([]);
    expect(invalid).toEqual([]);
    expect(changed).toEqual([]);
    expect(long).toEqual([]);
  });

  it('refuses the bombs of the issue quickly', async () => {
    // 544 KB of link text, as measured in the issue: over the size cap, so it is never inflated.
    const issueBomb = v1Link('', zeroBomb(400));
    expect(issueBomb.length).toBeGreaterThan(MAX_LINK_CHARS);
    // Just under the cap (~390 MB inflated): the inflate cap stops it after the first MiB.
    const underCap = v2Link(' ', zeroBomb(375));
    expect(underCap.length).toBeLessThan(MAX_LINK_CHARS);
    for (const [name, fragment] of [
      ['544 KB bomb', issueBomb],
      ['under-cap bomb', underCap],
    ]) {
      const start = performance.now();
      await expect(decodeEditSet(fragment)).rejects.toBeInstanceOf(ShareLinkError);
      console.info(
        `share fuzz: ${name} (${fragment.length} chars) refused in ${(performance.now() - start).toFixed(1)} ms`,
      );
    }
  });

  it(`survives ${LESSON_CASES.toLocaleString('en')} mutated lesson links: no crash, nothing invalid accepted`, async () => {
    const valid = await Promise.all(
      lessons.map(async (lesson) => ({ lesson, link: await encodeLesson(lesson) })),
    );
    const crashes: string[] = [];
    const invalid: string[] = [];
    const changed: string[] = [];
    const long: string[] = [];
    let accepted = 0;
    for (let i = 0; i < LESSON_CASES; i++) {
      const c = await makeLessonCase(valid);
      const label = `lesson case ${i} (${c.kind})`;
      const outcome = await decodeLesson(c.fragment).then(
        (lesson) => ({ lesson }),
        (error: unknown) => ({ error }),
      );
      if ('error' in outcome) {
        if (!(outcome.error instanceof ShareLinkError)) crashes.push(`${label}: ${String(outcome.error)}`);
        else if (outcome.error.message.length > 400) long.push(label);
        continue;
      }
      if (outcome.lesson === null) continue;
      accepted++;
      if (!isValidLesson(outcome.lesson)) invalid.push(label);
      if (c.must && JSON.stringify(outcome.lesson) !== JSON.stringify(c.must)) changed.push(label);
    }
    console.info(
      `lesson fuzz: ${LESSON_CASES} cases, ${accepted} accepted, ${crashes.length} crashes, ` +
        `${invalid.length} invalid accepted, ${changed.length} links changed`,
    );
    expect(crashes).toEqual([]);
    expect(invalid).toEqual([]);
    expect(changed).toEqual([]);
    expect(long).toEqual([]);
    // The valid lessons themselves pass the independent predicate (so it can tell).
    expect(lessons.every(isValidLesson)).toBe(true);
  });
});
