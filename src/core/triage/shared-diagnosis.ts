/**
 * Requests with the same deciding facts share one diagnosis (issue 12 item 3). A HAR of a page that uploads many
 * files holds many requests that differ only in what the diagnosis quotes and never decides from: the object key
 * (`user-1/photo.jpg`, `user-2/photo.jpg`, …), a presigned URL's signature, S3's per-answer ids (`x-amz-request-id`,
 * `x-amz-id-2`) and the time of the request. Such a request is diagnosed in a canonical form, where each of those
 * values is a placeholder, and the shared diagnosis gets the request's own values back in every text that quotes them.
 *
 * That the diagnosis only quotes a value is not assumed, it is checked for each set of deciding facts: the canonical
 * form is diagnosed twice, with two placeholders of different length, case, punctuation and number of path segments,
 * and shared only when the two diagnoses are the same text once the placeholders are swapped. A value the models or a
 * check decide from (or hash, or encode) shows up as a difference, and those requests are diagnosed one by one.
 *
 * The time of the request decides only whether a presigned URL is past its expiry: that is part of the key, and the
 * time's placeholders lie on the same side of the expiry as the request.
 *
 * What is kept out of sharing, each diagnosed on its own:
 * - a request with other exchanges of its URL among the related ones (the diagnosis reads them: an earlier cached
 *   answer, an unpaired preflight; their ids and times are quoted);
 * - a value the redactor would mask (a key holding an access key id or a token): the placeholder would be redacted
 *   differently from the value it stands for, so only plain values ([A-Za-z0-9._/-], plain path segments) are shared.
 *
 * The first request of a set of deciding facts is diagnosed as it is (most sets have one request: the check above
 * costs two diagnoses, paid only once a second request comes). One memo per triage run, bounded in entries.
 *
 * Measured with the built CLI (`har`, text report; three runs each, user CPU): 100,000 entries (50,000 failed
 * presigned uploads, 18,000 refused, 32,000 expired) 9.0–10.7 s before, 7.3–8.0 s after; the same file with a
 * signature of its own for each URL, 9.4–9.8 s before, 7.2–7.6 s after. Output byte-identical.
 */
import { diagnose, type DiagnoseContext, type Diagnosis } from '../diagnose/index.js';
import { presignPastExpiry } from '../diagnose/checks/not-cors-request-expired.js';
import { readS3Url } from '../endpoint/index.js';
import type { PresignInfo } from '../endpoint/index.js';
import type { HeaderMap } from '../http/index.js';
import type { ObservedExchange, ObservedResponse } from '../evidence/types.js';
import { redactText } from '../redact/index.js';
import type { CorsConfiguration } from '../policy/index.js';

/** S3's per-answer ids: their values are quoted, never decided from (only whether they are there, which stays). */
const ANSWER_ID_HEADERS = new Set(['x-amz-request-id', 'x-amz-id-2']);

/** A value shared requests may differ in, and its placeholders in the two canonical forms. */
interface Slot {
  value: string;
  placeholders: [string, string];
}

/** Placeholders: never in a real capture, plain for the redactor, different in every way a value could be read. */
const KEY_PLACEHOLDERS: [string, string] = ['s3cd-memo-key/a.b', 'S3CD_MEMO.Key-22/c/d_e'];
/** A SigV4 signature is 64 lower-case hex digits; both placeholders are too (one the reverse of the other). */
const SIGNATURE_PLACEHOLDERS: [string, string] = ['0123456789abcdef'.repeat(4), 'fedcba9876543210'.repeat(4)];
const SIGNATURE_PARAM = /([?&]X-Amz-Signature=)([0-9a-f]{64})(?=[&#]|$)/;
const ID_PLACEHOLDERS: Array<[string, string]> = [
  ['S3CDMEMOID1', 'S3CD+MEMO/ID22=='],
  ['S3CDMEMOID3', 'S3CD+MEMO/ID44=='],
  ['S3CDMEMOID5', 'S3CD+MEMO/ID66=='],
  ['S3CDMEMOID7', 'S3CD+MEMO/ID88=='],
];

const PLAIN_KEY = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(?:\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;
const PLAIN_ID = /^[A-Za-z0-9+/=]+$/;
const MAX_VALUE = 256;

/** Sets of deciding facts remembered per run (the oldest first out): each holds at most one diagnosis. */
const MAX_ENTRIES = 1024;

function plain(value: string, pattern: RegExp): boolean {
  return value.length <= MAX_VALUE && pattern.test(value) && !value.toLowerCase().includes('s3cd') && redactText(value) === value;
}

/** The URL around its object key (decoded and raw alike), or null when the key is not a plain value. */
function keyOf(url: string, method: string): { key: string; before: string; after: string } | null {
  const info = readS3Url(url, method);
  const key = info.key;
  if (!key || !plain(key, PLAIN_KEY)) return null;
  const scheme = url.indexOf('://');
  if (scheme === -1) return null;
  const pathStart = url.indexOf('/', scheme + 3);
  if (pathStart === -1) return null;
  const queryStart = url.search(/[?#]/);
  const pathEnd = queryStart === -1 ? url.length : queryStart;
  if (pathEnd < pathStart) return null;
  const path = url.slice(pathStart, pathEnd);
  if (!path.endsWith(`/${key}`)) return null;
  return { key, before: url.slice(0, pathEnd - key.length), after: url.slice(pathEnd) };
}

function answerIds(response: ObservedResponse | undefined, into: string[]): boolean {
  if (!response) return true;
  for (const [name, value] of Object.entries(response.headers)) {
    if (!ANSWER_ID_HEADERS.has(name.toLowerCase())) continue;
    if (!plain(value, PLAIN_ID)) return false;
    if (!into.includes(value)) into.push(value);
  }
  return true;
}

function withIds(headers: HeaderMap, swap: (value: string) => string): HeaderMap {
  const out: HeaderMap = {};
  for (const [name, value] of Object.entries(headers)) {
    Object.defineProperty(out, name, {
      value: ANSWER_ID_HEADERS.has(name.toLowerCase()) ? swap(value) : value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

interface Shareable {
  slots: Slot[];
  /** The exchange with the placeholders of form 0 or 1. */
  canonical: (form: 0 | 1) => ObservedExchange;
  /** Everything the diagnosis decides from, as one string. */
  key: string;
}

/** The canonical forms of an exchange, or null when it is kept out of sharing. */
function shareable(exchange: ObservedExchange, context: DiagnoseContext, contextKey: unknown): Shareable | null {
  const { request, preflight, response } = exchange;
  // The diagnosis reads the exchanges of the same resource only (a preflight to pair, an earlier cached answer).
  const resource = request.url.split('#')[0];
  if ((context.related ?? []).some((other) => other !== exchange && other.request.url.split('#')[0] === resource)) return null;
  if (preflight && preflight.request.url !== request.url) return null;
  const url = keyOf(request.url, request.method);
  if (!url) return null;
  const ids: string[] = [];
  if (!answerIds(response, ids) || !answerIds(preflight?.response, ids) || ids.length > ID_PLACEHOLDERS.length) return null;
  if (ids.includes(url.key)) return null;
  const slots: Slot[] = [
    { value: url.key, placeholders: KEY_PLACEHOLDERS },
    ...ids.map((value, i) => ({ value, placeholders: ID_PLACEHOLDERS[i] as [string, string] })),
  ];
  // A presigned URL's signature differs for every key; the redactor masks it wherever the diagnosis quotes the URL.
  const signature = SIGNATURE_PARAM.exec(url.after);
  const query = (form: 0 | 1) =>
    signature
      ? `${url.after.slice(0, signature.index)}${signature[1]}${SIGNATURE_PLACEHOLDERS[form]}${url.after.slice(signature.index + signature[0].length)}`
      : url.after;
  if (signature?.[2]) slots.push({ value: signature[2], placeholders: SIGNATURE_PLACEHOLDERS });
  const time = timeOf(exchange, context, readS3Url(request.url, request.method).presign);
  if (time.slot) slots.push(time.slot);
  const canonical = (form: 0 | 1): ObservedExchange => {
    const swap = (value: string) => slots.find((slot) => slot.value === value)?.placeholders[form] ?? value;
    const canonicalUrl = `${url.before}${KEY_PLACEHOLDERS[form]}${query(form)}`;
    const out: ObservedExchange = { ...exchange, id: 'shared', request: { ...request, url: canonicalUrl } };
    if (time.slot) out.startedAt = time.slot.placeholders[form];
    if (response) out.response = { ...response, headers: withIds(response.headers, swap) };
    if (preflight) {
      out.preflight = {
        ...preflight,
        request: { ...preflight.request, url: canonicalUrl },
        ...(preflight.response ? { response: { ...preflight.response, headers: withIds(preflight.response.headers, swap) } } : {}),
      };
    }
    return out;
  };
  const { id: _id, startedAt: _startedAt, ...deciding } = canonical(0);
  return { slots, canonical, key: JSON.stringify([deciding, time.key, contextKey]) };
}

const DAY = 86_400_000;
/**
 * The time of a request. It is the reference time of the expiry check unless the run fixes one (`context.now`;
 * evidence.ts), and that check decides only whether a presigned URL is past its expiry, otherwise it quotes the time.
 * So the key holds which side of the expiry the reference time is on, and the start time is a slot: its placeholders
 * lie on the same side of the expiry when it is the reference time, anywhere when it is not. A start time not already
 * in ISO form (the finding quotes the ISO form) is part of the key.
 */
function timeOf(exchange: ObservedExchange, context: DiagnoseContext, presign: Readonly<PresignInfo> | null): { key: unknown; slot: Slot | null } {
  const startedAt = exchange.startedAt;
  const fixed = context.now ? presignPastExpiry(presign, context.now) : null;
  if (startedAt === undefined) return { key: ['none', fixed], slot: null };
  const at = new Date(startedAt);
  if (Number.isNaN(at.getTime()) || at.toISOString() !== startedAt) return { key: ['as-given', startedAt, fixed], slot: null };
  const pastExpiry = context.now ? null : presignPastExpiry(presign, at);
  const expiresAt = presign?.expiresAt ? Date.parse(presign.expiresAt) : Number.NaN;
  // Two times on the request's side of the expiry, a year or two away from it, with milliseconds no capture shares.
  const side = pastExpiry === null || Number.isNaN(expiresAt) ? null : pastExpiry ? 1 : -1;
  const first = side === null ? Date.UTC(2001, 1, 3, 4, 5, 6, 789) : expiresAt + side * (400 * DAY + 123);
  const second = side === null ? Date.UTC(2002, 2, 4, 5, 6, 7, 891) : expiresAt + side * (800 * DAY + 457);
  return {
    key: ['slot', fixed, side],
    slot: { value: startedAt, placeholders: [new Date(first).toISOString(), new Date(second).toISOString()] },
  };
}

/**
 * A diagnosis compiled into a function of the values that replace one form's placeholders: the shared diagnosis
 * (form 0) gets each request's own values, and the two-form check swaps form 1's placeholders for form 0's. A copy is
 * made only of the objects whose subtree quotes a placeholder, each quoting text is kept as the pieces between its
 * placeholders, and everything else is shared with every other request and frozen, so no reader can change one
 * request's diagnosis through another's. Measured on the 100,000-entry HAR (CPU profile): copying and searching the
 * whole diagnosis for each request cost about 15 µs a request, a tenth of the run; the compiled copy about 2 µs.
 */
type Filler = (values: readonly string[]) => unknown;

function compile(value: unknown, slots: Slot[], form: 0 | 1): Filler | null {
  if (typeof value === 'string') return compileText(value, slots, form);
  if (value === null || typeof value !== 'object') return null;
  const entries = Object.entries(value).map(([name, item]) => [name, item, compile(item, slots, form)] as const);
  Object.freeze(value);
  if (entries.every(([, , filler]) => filler === null)) return null;
  if (Array.isArray(value)) return (values) => entries.map(([, item, filler]) => (filler ? filler(values) : item));
  return (values) => {
    const out: Record<string, unknown> = {};
    for (const [name, item, filler] of entries) out[name] = filler ? filler(values) : item;
    return out;
  };
}

/** A text as its pieces between placeholders (slot indexes between them), or null when it quotes none. */
function compileText(text: string, slots: Slot[], form: 0 | 1): Filler | null {
  const pieces: Array<string | number> = [];
  let rest = text;
  for (;;) {
    let at = -1;
    let slot = -1;
    for (const [i, { placeholders }] of slots.entries()) {
      const found = rest.indexOf(placeholders[form]);
      if (found !== -1 && (at === -1 || found < at)) [at, slot] = [found, i];
    }
    if (at === -1) break;
    pieces.push(rest.slice(0, at), slot);
    rest = rest.slice(at + (slots[slot]?.placeholders[form].length ?? 0));
  }
  if (pieces.length === 0) return null;
  pieces.push(rest);
  return (values) => {
    let out = '';
    for (const piece of pieces) out += typeof piece === 'number' ? values[piece] : piece;
    return out;
  };
}

interface Template {
  diagnosis: Diagnosis;
  fill: Filler | null;
}

type Diagnose = (exchange: ObservedExchange, context: DiagnoseContext) => Diagnosis;

/** One triage run's shared diagnoses. */
export class DiagnosisMemo {
  /** Per deciding-facts key: 'once' after its first request, then the shared diagnosis (form 0) or null (not shareable). */
  private readonly entries = new Map<string, 'once' | Template | null>();
  /** A number for each bucket configuration seen, so the key tells them apart. */
  private readonly configs = new Map<CorsConfiguration, number>();
  /** Requests given a shared diagnosis (the tests check sharing happened). */
  sharedCount = 0;

  /** `run`: the diagnosis (the tests give one that decides from the key, to see it is not shared). */
  constructor(private readonly run: Diagnose = diagnose) {}

  diagnose(exchange: ObservedExchange, context: DiagnoseContext): Diagnosis {
    const form = shareable(exchange, context, this.contextKey(context));
    if (!form) return this.run(exchange, context);
    let entry = this.entries.get(form.key);
    if (entry === undefined) {
      this.remember(form.key, 'once');
      return this.run(exchange, context);
    }
    if (entry === 'once') {
      entry = this.shared(form, context);
      this.remember(form.key, entry);
    }
    if (entry === null) return this.run(exchange, context);
    this.sharedCount++;
    const own = entry.fill ? (entry.fill(form.slots.map((slot) => slot.value)) as Diagnosis) : entry.diagnosis;
    return { ...own, exchangeId: exchange.id };
  }

  /**
   * What the diagnosis reads of the context besides the related exchanges: the bucket's state (its configuration by
   * identity: a run, or a panel for a policy, hands every request of a bucket the same one), its region and age,
   * headers to read, a fixed time.
   */
  private contextKey(context: DiagnoseContext): unknown {
    const bucket = context.bucket;
    const state = bucket
      ? [bucket.kind, bucket.kind === 'missing' ? null : (bucket.region ?? null), bucket.kind === 'cors' ? this.numberOf(bucket.config) : null]
      : null;
    return [state, context.bucketRegion ?? null, context.bucketCreatedRecently ?? null, context.needsReadable ?? null, context.now?.toISOString() ?? null];
  }

  private numberOf(config: CorsConfiguration): number {
    let n = this.configs.get(config);
    if (n === undefined) {
      n = this.configs.size;
      this.configs.set(config, n);
    }
    return n;
  }

  /** The diagnosis of the canonical form, or null when the two forms disagree beyond their placeholders. */
  private shared(form: Shareable, context: DiagnoseContext): Template | null {
    const diagnoses = ([0, 1] as const).map((n) => {
      const canonical = form.canonical(n);
      return this.run(canonical, { ...context, related: [canonical] });
    });
    const [first, second] = diagnoses as [Diagnosis, Diagnosis];
    const swap = compile(second, form.slots, 1);
    const secondAsFirst = swap ? swap(form.slots.map((slot) => slot.placeholders[0])) : second;
    return JSON.stringify(first) === JSON.stringify(secondAsFirst) ? { diagnosis: first, fill: compile(first, form.slots, 0) } : null;
  }

  private remember(key: string, entry: 'once' | Template | null): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > MAX_ENTRIES) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }
}
