import fc from 'fast-check';
import { FULL_SCAN_LIMITS, HarJsonScanner, HarScanError, TRIAGE_SCAN_LIMITS, type HarScanEvent, type HarScanLimits } from '../../../src/core/har/index.js';

const utf8Length = (text: string) => Buffer.byteLength(text, 'utf8');

/**
 * Scan `text` as UTF-8 bytes cut into chunks of the given sizes (in bytes: a cut may fall inside a multi-byte
 * character). Every chunk is written from one reused buffer, overwritten after each write, as the CLI does.
 */
function scan(text: string, chunkSizes: readonly number[] | number = 1 << 20, limits: HarScanLimits = TRIAGE_SCAN_LIMITS) {
  const events: HarScanEvent[] = [];
  const scanner = new HarJsonScanner((e) => events.push(e), limits);
  const bytes = new TextEncoder().encode(text);
  const reused = new Uint8Array(Math.max(1, ...(Array.isArray(chunkSizes) ? chunkSizes : [chunkSizes])));
  let i = 0;
  let n = 0;
  while (i < bytes.length) {
    const size = Array.isArray(chunkSizes) ? chunkSizes[n++ % chunkSizes.length]! : chunkSizes;
    const chunk = bytes.subarray(i, i + size);
    reused.set(chunk);
    scanner.write(reused.subarray(0, chunk.length));
    reused.fill(0x7b);
    i += size;
  }
  const summary = scanner.end();
  const entries = events.filter((e) => e.kind === 'entry').map((e) => JSON.parse(e.json) as unknown);
  const members = Object.fromEntries(events.filter((e) => e.kind === 'member').map((e) => [e.key, JSON.parse(e.json) as unknown]));
  return { events, summary, entries, members };
}

const har = (entries: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify(
    {
      log: {
        version: '1.2',
        creator: { name: 'WebInspector', version: '537.36' },
        pages: [{ id: 'page_1', title: 'https://app.example.com/' }],
        entries,
        ...extra,
      },
    },
    null,
    2,
  );

const entry = (url: string, body = '') => ({
  startedDateTime: '2026-11-28T08:00:00.000Z',
  request: { method: 'GET', url, headers: [{ name: 'Origin', value: 'https://app.example.com' }] },
  response: { status: 200, headers: [], content: { size: body.length, mimeType: 'text/plain', text: body } },
});

describe('HarJsonScanner', () => {
  it('hands out every log.entries element and the other log members, in order', () => {
    const text = har([entry('https://a.example/1'), entry('https://a.example/2')]);
    const { entries, members, summary } = scan(text);
    expect(entries).toEqual(JSON.parse(text).log.entries);
    expect(members).toEqual({
      version: '1.2',
      creator: { name: 'WebInspector', version: '537.36' },
      pages: [{ id: 'page_1', title: 'https://app.example.com/' }],
    });
    expect(summary).toMatchObject({ truncated: false, entries: 2, sawLog: true, sawEntries: true });
  });

  it('gives the same entries whatever the chunk boundaries, even inside escapes and keys', () => {
    const tricky = 'quote \\" backslash \\\\ unicode \\u00e9 \\\\\\" end\\\\';
    const text = har([entry('https://a.example/"x"', JSON.parse(`"${tricky}"`)), { 'we\\"ird': [1, true, null, { a: -2.5e3 }] }], { comment: 'c' }).replace(
      '"comment"',
      '"com\\u006dent"',
    );
    const expected = JSON.parse(text).log.entries;
    for (const sizes of [1, 2, 3, 7, [1, 5, 2], 64]) {
      const { entries, members } = scan(text, sizes);
      expect(entries, `chunks ${JSON.stringify(sizes)}`).toEqual(expected);
      expect(members.comment).toBe('c');
    }
  });

  it('matches JSON.parse on random entries split at random places (property)', () => {
    const json = fc.jsonValue({ maxDepth: 4 });
    fc.assert(
      fc.property(fc.array(json, { maxLength: 5 }), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 }), (values, sizes) => {
        const text = JSON.stringify({ log: { entries: values } });
        expect(scan(text, sizes).entries).toEqual(JSON.parse(text).log.entries);
      }),
      { numRuns: 300 },
    );
  });

  it('cuts a long string to a bounded prefix and keeps the entry valid JSON (triage limits)', () => {
    const base64 = 'QUJD'.repeat(100_000);
    const { entries, events } = scan(har([entry('https://a.example/img', base64)]), [4096]);
    const text = (entries[0] as { response: { content: { text: string } } }).response.content.text;
    expect(text.length).toBe(TRIAGE_SCAN_LIMITS.keptStringPrefix);
    expect(base64.startsWith(text)).toBe(true);
    expect(events.find((e) => e.kind === 'entry')).toMatchObject({ cutStrings: 1 });
  });

  it('never leaves half an escape sequence at the cut', () => {
    const limits = { ...TRIAGE_SCAN_LIMITS, maxStringLength: 20, keptStringPrefix: 10 };
    for (let shift = 0; shift < 8; shift++) {
      const value = 'a'.repeat(shift) + '\u00e9\\"'.repeat(20);
      const { entries } = scan(JSON.stringify({ log: { entries: [{ v: value }] } }).replaceAll('é', '\\u00e9'), [3], limits);
      const kept = (entries[0] as { v: string }).v;
      expect(value.startsWith(kept)).toBe(true);
    }
  });

  it('keeps long strings whole with the full limits (redaction)', () => {
    const base64 = 'QUJD'.repeat(100_000);
    const { entries } = scan(har([entry('https://a.example/img', base64)]), [65536], FULL_SCAN_LIMITS);
    expect((entries[0] as { response: { content: { text: string } } }).response.content.text).toBe(base64);
  });

  it('reports a truncated file and keeps the complete entries before the cut', () => {
    const text = har([entry('https://a.example/1'), entry('https://a.example/2')]);
    const cut = text.slice(0, text.lastIndexOf('https://a.example/2'));
    const { entries, summary } = scan(cut);
    expect(entries).toHaveLength(1);
    expect(summary.truncated).toBe(true);
  });

  it.each([
    ['', 'the file is empty'],
    ['   ', 'the file is empty'],
    ['<html>', 'not JSON'],
    ['[{"log": {}}]', 'not a HAR: the top level is an array, not an object'],
    ['{"log": {"entries": []}} x', 'data after the end of the HAR object'],
    ['{"log": {"entries": [}]}}', "unexpected '}'"],
  ])('rejects %j with a one-line error', (text, message) => {
    let thrown: unknown;
    try {
      scan(text);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(HarScanError);
    expect((thrown as HarScanError).message).toBe(message);
  });

  it('refuses nesting deeper than the limit instead of overflowing the stack', () => {
    const deep = `{"log":{"entries":[${'['.repeat(100_000)}${']'.repeat(100_000)}]}}`;
    expect(() => scan(deep)).toThrow(/nesting deeper than 64 levels/);
  });

  it('bounds a captured value even when every string in it is short', () => {
    const limits = { ...TRIAGE_SCAN_LIMITS, maxValueLength: 10_000 };
    const big = { log: { entries: [{ parts: Array.from({ length: 2000 }, (_, i) => `v${i}`) }] } };
    expect(() => scan(JSON.stringify(big), [1000], limits)).toThrow(/entry 0 is larger than 10000 bytes/);
  });

  it('accepts a byte-order mark, even split across chunks, and refuses a broken one', () => {
    expect(scan(`\ufeff${har([])}`).summary.sawEntries).toBe(true);
    expect(scan(`  \ufeff ${har([])}`, 1).summary.sawEntries).toBe(true);
    expect(() => scan('\u00ef{}')).toThrow('not JSON');
  });

  it('reads multi-byte characters cut by chunk boundaries, in values and keys', () => {
    const text = har([{ 'clé ✓': 'naïve — 日本語 🙂', url: 'https://a.example/é' }], { cömment: '€' });
    for (const size of [1, 2, 3, 5]) {
      const { entries, events } = scan(text, size);
      expect(entries).toEqual(JSON.parse(text).log.entries);
      expect(events.find((e) => e.kind === 'member' && e.key === 'cömment')).toBeDefined();
    }
  });

  it('never cuts a long string inside a multi-byte character', () => {
    const limits = { ...TRIAGE_SCAN_LIMITS, maxStringLength: 20, keptStringPrefix: 10 };
    for (let shift = 0; shift < 6; shift++) {
      const value = 'a'.repeat(shift) + '日🙂é'.repeat(10);
      const [entry] = scan(JSON.stringify({ log: { entries: [{ v: value }] } }), [4], limits).entries as Array<{ v: string }>;
      expect(value.startsWith(entry!.v)).toBe(true);
      expect(utf8Length(entry!.v)).toBeGreaterThan(10 - 4);
      expect(entry!.v).not.toContain('\ufffd');
    }
  });

  it('reports byte offsets in its errors', () => {
    let thrown: HarScanError | undefined;
    try {
      scan('{"é": 1} x');
    } catch (err) {
      thrown = err as HarScanError;
    }
    expect(thrown?.offset).toBe(10);
  });
});

describe('HarJsonScanner with cut strings (property)', () => {
  it('always yields valid JSON whose short strings are intact and long strings are prefixes', () => {
    const limits = { ...TRIAGE_SCAN_LIMITS, maxStringLength: 30, keptStringPrefix: 12 };
    const value = fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 30 }));
    fc.assert(
      fc.property(
        fc.array(value, { maxLength: 6 }),
        fc.oneof(fc.array(fc.integer({ min: 1, max: 25 }), { minLength: 1, maxLength: 6 }), fc.constant([1 << 20])),
        (strings, sizes) => {
          const text = JSON.stringify({ log: { entries: [{ strings }] } });
          const [entry] = scan(text, sizes, limits).entries as Array<{ strings: string[] }>;
          entry!.strings.forEach((kept, i) => {
            const original = strings[i]!;
            if (utf8Length(JSON.stringify(original)) - 2 <= limits.maxStringLength) expect(kept).toBe(original);
            else {
              expect(original.startsWith(kept)).toBe(true);
              // Cut to the kept prefix (its JSON text is never longer than the original's escapes).
              expect(utf8Length(JSON.stringify(kept)) - 2).toBeLessThanOrEqual(limits.keptStringPrefix);
            }
          });
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('HarJsonScanner after the root object', () => {
  it('accepts trailing whitespace arriving in a later chunk, and refuses anything else there', () => {
    const text = JSON.stringify({ log: { entries: [] } });
    expect(scan(`${text}\n\n`, [text.length, 1]).summary.truncated).toBe(false);
    expect(() => scan(`${text}\n{}`, [text.length, 1])).toThrow('data after the end of the HAR object');
  });
});

describe('HarJsonScanner reading pretty-printed entries by indentation (triage fast path)', () => {
  const exact: HarScanLimits = { ...TRIAGE_SCAN_LIMITS, parseIndentedEntries: false };

  it('is taken for the entries of a pretty-printed HAR, and gives what the general path gives', () => {
    const text = har([entry('https://a.example/1', 'x'), entry('https://b.s3.amazonaws.com/k', '<Error/>')]);
    const fast = scan(text);
    expect(fast.events.filter((e) => e.kind === 'entry' && e.value !== undefined)).toHaveLength(2);
    expect(fast.entries).toEqual(scan(text, 1 << 20, exact).entries);
    for (const e of fast.events) if (e.kind === 'entry') expect(e.value).toEqual(JSON.parse(e.json));
  });

  it('gives the same entries as the general path for any indentation, line ending and chunking (property)', () => {
    const indentation = fc.constantFrom(1, 2, 4, '\t', '  ');
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue({ maxDepth: 4 }), { maxLength: 6 }),
        indentation,
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 4 }),
        (values, indent, crlf, sizes) => {
          let text = JSON.stringify({ log: { version: '1.2', entries: values } }, null, indent);
          if (crlf) text = text.replaceAll('\n', '\r\n');
          const expected = JSON.parse(text).log.entries;
          expect(scan(text, sizes).entries).toEqual(expected);
          expect(scan(text, [1 << 20]).entries).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('falls back to the general path when a line with the same indentation closes an inner object first', () => {
    const text = '{"log": {"entries": [\n  {"a": {\n  }, "b": "}"\n  },\n  {"c": [\n  ]\n  }\n]}}';
    const { entries, events } = scan(text);
    expect(entries).toEqual([{ a: {}, b: '}' }, { c: [] }]);
    expect(events.filter((e) => e.kind === 'entry').map((e) => (e as { value?: unknown }).value !== undefined)).toEqual([false, true]);
  });

  it('is not taken by the full limits (redaction keeps the general path and its checks)', () => {
    const { events } = scan(har([entry('https://a.example/1')]), 1 << 20, FULL_SCAN_LIMITS);
    expect(events.some((e) => e.kind === 'entry' && e.value !== undefined)).toBe(false);
  });

  it('cuts the long strings of an entry longer than the fast path reads (general path)', () => {
    const base64 = 'QUJD'.repeat(50_000);
    const { entries, events } = scan(har([entry('https://a.example/img', base64)]));
    expect((entries[0] as { response: { content: { text: string } } }).response.content.text).toHaveLength(TRIAGE_SCAN_LIMITS.keptStringPrefix);
    expect(events.find((e) => e.kind === 'entry')).toMatchObject({ cutStrings: 1 });
  });

  it('reads a deeply nested pretty-printed entry without overflowing the stack', () => {
    const deep = `{"log": {"entries": [\n  {"request": {"method": "GET", "url": "https://a.example/"}, "x": ${'['.repeat(20_000)}${']'.repeat(20_000)}\n  }\n]}}`;
    const { entries } = scan(deep);
    expect((entries[0] as { request: { url: string } }).request.url).toBe('https://a.example/');
  });
});
