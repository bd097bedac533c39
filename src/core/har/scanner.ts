/**
 * A streaming scanner for HAR files: feed it the file's bytes (UTF-8) in chunks, it hands back each `log.entries[*]`
 * element (and every other member of `log` and of the root object) as a small JSON text, without ever holding the
 * whole file.
 *
 * Why not JSON.parse: a HAR of hundreds of MB is mostly base64 response bodies the diagnosis never reads. The scanner
 * works on bytes, so nothing is decoded but the captured entries (UTF-8 never uses bytes below 0x80 inside a
 * multi-byte character, so quotes, brackets and backslashes are found byte by byte); it skips over string contents
 * with `indexOf` (memchr speed on a Node Buffer) and, in triage mode, keeps only a bounded prefix of long strings, so
 * an entry with a 40 MB image body becomes a few KB that JSON.parse reads in microseconds.
 *
 * It is deliberately lenient about the JSON grammar of the parts it skips (it tracks only brackets, strings, keys and
 * commas); every captured value is parsed by JSON.parse afterwards, which rejects anything malformed in it.
 */

export interface HarScanLimits {
  /** Strings inside a captured value longer than this many bytes (as written, escapes included) are cut (triage);
   * Infinity keeps everything (redaction). */
  maxStringLength: number;
  /** How many bytes of a cut string are kept — enough for an S3 XML error body, a presigned URL or a long header. */
  keptStringPrefix: number;
  /** Deepest nesting accepted anywhere in the file (HAR entries need about 6). */
  maxDepth: number;
  /** Largest captured value in bytes (one entry, after cutting long strings). */
  maxValueLength: number;
  /**
   * Read a pretty-printed entry with JSON.parse straight away when its closing brace is found by indentation (see
   * `tryIndentedEntry`), handing out the parsed value. For triage only: the nesting depth inside such an entry is
   * not checked (JSON.parse does not recurse, and triage reads fixed fields of an entry).
   */
  parseIndentedEntries?: boolean;
}

/**
 * Triage: URLs and headers (≤ 64 KB) stay whole; only bodies are longer, and of those the diagnosis needs S3's XML
 * errors (a few hundred bytes), so the first KB of a long body is plenty to see it is something else.
 */
export const TRIAGE_SCAN_LIMITS: HarScanLimits = {
  maxStringLength: 64 * 1024,
  keptStringPrefix: 1024,
  maxDepth: 64,
  maxValueLength: 32 * 1024 * 1024,
  parseIndentedEntries: true,
};

export const FULL_SCAN_LIMITS: HarScanLimits = {
  maxStringLength: Infinity,
  keptStringPrefix: 0,
  maxDepth: 64,
  maxValueLength: 256 * 1024 * 1024,
};

export type HarScanEvent =
  /** `value`: the entry already parsed (JSON.parse(json)), when the scanner had to parse it anyway. */
  | { kind: 'entry'; index: number; json: string; cutStrings: number; value?: unknown }
  /** A member of `log` other than `entries` (version, creator, browser, pages, comment, …) or of the root object. */
  | { kind: 'member'; parent: 'root' | 'log'; key: string; json: string; cutStrings: number; afterEntries: boolean };

export interface HarScanSummary {
  /** The file ended before the JSON did (a truncated HAR). */
  truncated: boolean;
  /** Entries handed out. */
  entries: number;
  sawLog: boolean;
  sawEntries: boolean;
  /** Bytes read. */
  length: number;
}

/** Input that cannot be a HAR at all. `offset` is the 0-based byte offset where the scanner gave up. */
export class HarScanError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.name = 'HarScanError';
    this.offset = offset;
  }
}

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COMMA = 44;
const COLON = 58;
const SPACE = 32;
const TAB = 9;
const LF = 10;
const CR = 13;
/** The UTF-8 byte-order mark. */
const BOM = [0xef, 0xbb, 0xbf];

/** The bytes that matter inside a captured container: quotes and brackets. */
const CAPTURE_STOP = new Uint8Array(256);
for (const c of [QUOTE, OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET, CLOSE_BRACKET]) CAPTURE_STOP[c] = 1;

const OBJECT = 0;
const ARRAY = 1;

/** Which part of the HAR a container is: the ones the scanner has to recognise to know what to capture. */
const PLAIN = 0;
const ROOT = 1;
const LOG = 2;
const ENTRIES = 3;

/** What the string being scanned is for. */
const SKIPPED = 0;
const KEY = 1;
const CAPTURED = 2;

const MAX_KEY_LENGTH = 64;

/** Strings shorter than this are searched for their closing quote byte by byte; longer ones with indexOf. */
const SHORT_STRING = 48;

const EMPTY = new Uint8Array(0);
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** Copy of a part of a chunk: the caller may reuse a chunk's memory once write() returns. */
function copyOf(bytes: Uint8Array, start: number, end: number): Uint8Array {
  const copy = new Uint8Array(end - start);
  copy.set(bytes.subarray(start, end));
  return copy;
}

function concat(parts: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export class HarJsonScanner {
  private readonly limits: HarScanLimits;
  private readonly onEvent: (event: HarScanEvent) => void;

  private buf: Uint8Array = EMPTY;
  private pos = 0;
  /** Absolute offset of buf[0]. */
  private base = 0;
  private started = false;
  /** Bytes of a leading byte-order mark seen so far. */
  private bomMatched = 0;
  private finished = false;

  private depth = 0;
  private readonly containerType: Uint8Array;
  private readonly containerRole: Uint8Array;
  /** In an object at this depth, the next string is a key. */
  private readonly awaitingKey: Uint8Array;
  /** Key of the member whose value comes next, for containers we care about (root and log). */
  private pendingKey: string | null = null;

  private inString = false;
  private stringRole = SKIPPED;
  /** Start of the string's unread part in buf (after the quote, or 0 when it began in an earlier chunk). */
  private stringSegmentStart = 0;
  /** An odd run of backslashes ended the previous chunk: the first byte of this one is escaped. */
  private escapeCarried = false;
  private readonly keyBytes = new Uint8Array(MAX_KEY_LENGTH);
  private keyLength = 0;
  private keyOverlong = false;

  /** Capture of one value: pieces already copied out, and where the rest starts in buf. */
  private capturing = false;
  private captureDepth = 0;
  private captureScalar = false;
  private capturePieces: Uint8Array[] = [];
  private capturedLength = 0;
  private captureStart = 0;
  private cutStrings = 0;
  /** Captured-bytes coordinate where the current captured string's content begins. */
  private stringCapturedStart = 0;
  /** The current captured string is being skipped after its kept prefix. */
  private stringCut = false;
  private captureTarget: { kind: 'entry' } | { kind: 'member'; parent: 'root' | 'log'; key: string } = { kind: 'entry' };

  private entryCount = 0;
  private sawLog = false;
  private sawEntries = false;
  private entriesClosed = false;

  constructor(onEvent: (event: HarScanEvent) => void, limits: HarScanLimits = TRIAGE_SCAN_LIMITS) {
    this.onEvent = onEvent;
    this.limits = limits;
    this.containerType = new Uint8Array(limits.maxDepth + 2);
    this.containerRole = new Uint8Array(limits.maxDepth + 2);
    this.awaitingKey = new Uint8Array(limits.maxDepth + 2);
  }

  /**
   * Feed the next bytes of the file. Throws HarScanError on input that cannot be a HAR. The chunk is not kept:
   * its memory may be reused once this returns. A Node Buffer is searched fastest (its indexOf is memchr).
   */
  write(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    // retainUnread() left nothing behind: every chunk is scanned on its own.
    this.buf = chunk;
    this.scan();
    this.retainUnread();
  }

  /** The file is complete. */
  end(): HarScanSummary {
    if (!this.started) throw new HarScanError(this.bomMatched === 1 || this.bomMatched === 2 ? 'not JSON' : 'the file is empty', 0);
    if (this.capturing && this.captureScalar && this.depth === this.captureDepth && !this.inString) this.finishCapture(this.buf.length);
    return {
      truncated: this.depth > 0 || this.inString || this.capturing,
      entries: this.entryCount,
      sawLog: this.sawLog,
      sawEntries: this.sawEntries,
      length: this.base + this.buf.length,
    };
  }

  /** Drop what is consumed; keep (a copy of) only the part of a capture not yet moved into pieces. */
  private retainUnread(): void {
    if (this.capturing && !(this.inString && this.stringCut)) {
      this.appendPiece(this.buf, this.captureStart, this.buf.length);
    }
    this.base += this.buf.length;
    this.buf = EMPTY;
    this.pos = 0;
    this.captureStart = 0;
    this.stringSegmentStart = 0;
  }

  private appendPiece(bytes: Uint8Array, start: number, end: number): void {
    if (end <= start) return;
    this.capturedLength += end - start;
    if (this.capturedLength > this.limits.maxValueLength) {
      const what = this.captureTarget.kind === 'entry' ? `entry ${this.entryCount}` : `log.${this.captureTarget.key}`;
      throw new HarScanError(`${what} is larger than ${this.limits.maxValueLength} bytes`, this.base + this.pos);
    }
    this.capturePieces.push(copyOf(bytes, start, end));
  }

  private scan(): void {
    const buf = this.buf;
    const len = buf.length;
    if (!this.started) {
      // Whitespace, at most one byte-order mark, whitespace, then the root object.
      let p = this.pos;
      while (p < len) {
        const c = buf[p];
        if (c === undefined) break;
        if (this.bomMatched > 0 && this.bomMatched < 3) {
          if (c !== BOM[this.bomMatched]) throw new HarScanError('not JSON', this.base + p);
          this.bomMatched++;
          p++;
          continue;
        }
        if (isWhitespace(c)) {
          p++;
          continue;
        }
        if (c === BOM[0] && this.bomMatched === 0) {
          this.bomMatched = 1;
          p++;
          continue;
        }
        if (c !== OPEN_BRACE) {
          throw new HarScanError(c === OPEN_BRACKET ? 'not a HAR: the top level is an array, not an object' : 'not JSON', this.base + p);
        }
        this.started = true;
        break;
      }
      this.pos = p;
      if (!this.started) return;
    }
    let pos = this.pos;
    while (pos < len) {
      if (this.inString) {
        pos = this.scanString(pos);
        if (this.inString) break;
        continue;
      }
      const c = buf[pos];
      if (c === undefined) break;
      if (this.finished) {
        if (!isWhitespace(c)) throw new HarScanError('data after the end of the HAR object', this.base + pos);
        pos++;
        continue;
      }
      if (this.capturing) {
        if (this.captureScalar && this.depth === this.captureDepth) {
          if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isWhitespace(c)) {
            this.finishCapture(pos);
            continue;
          }
          pos++;
          continue;
        }
        pos = this.scanCaptured(pos);
        continue;
      }
      pos = this.scanStructure(c, pos);
    }
    this.pos = pos;
  }

  /**
   * Inside a captured container: the hot loop (entries are most of a HAR's structure). Only brackets and quotes
   * matter here; JSON.parse checks everything else when the capture is parsed. Returns where it stopped: the end
   * of the buffer, the end of the capture, or inside a string that continues in the next chunk.
   */
  private scanCaptured(from: number): number {
    const buf = this.buf;
    const len = buf.length;
    let pos = from;
    while (pos < len) {
      const c = buf[pos];
      if (c === undefined) break;
      if (CAPTURE_STOP[c] === 0) {
        pos++;
        continue;
      }
      if (c === QUOTE) {
        // Fast path, most strings of an entry: short, whole in this chunk, nothing to cut. Escapes are stepped
        // over, so the first quote met closes the string. Anything else takes the general path from the quote.
        let j = pos + 1;
        const end = Math.min(len, j + Math.min(SHORT_STRING, this.limits.maxStringLength));
        while (j < end) {
          const b = buf[j];
          if (b === undefined || b === QUOTE) break;
          j += b === BACKSLASH ? 2 : 1;
        }
        if (j < end && buf[j] === QUOTE) {
          pos = j + 1;
          continue;
        }
        this.beginString(pos, CAPTURED);
        pos = this.scanString(pos + 1);
        if (this.inString || !this.capturing) return pos;
        continue;
      }
      if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        this.push(c === OPEN_BRACE ? OBJECT : ARRAY, PLAIN, pos);
        pos++;
        continue;
      }
      this.pop(c, pos);
      pos++;
      if (this.depth === this.captureDepth) {
        this.finishCapture(pos);
        return pos;
      }
    }
    return pos;
  }

  /** Outside any capture: root object, `log` object, `entries` array. */
  private scanStructure(c: number, pos: number): number {
    if (isWhitespace(c) || c === COLON) return pos + 1;
    const depth = this.depth;
    const role = depth > 0 ? this.containerRole[depth - 1] : PLAIN;
    if (c === COMMA) {
      if (depth > 0 && this.containerType[depth - 1] === OBJECT) this.awaitingKey[depth - 1] = 1;
      return pos + 1;
    }
    if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (role === ENTRIES) this.entriesClosed = true;
      this.pop(c, pos);
      if (this.depth === 0) this.finished = true;
      return pos + 1;
    }
    if (depth === 0) {
      if (c !== OPEN_BRACE) throw new HarScanError('not JSON', this.base + pos);
      this.push(OBJECT, ROOT, pos);
      return pos + 1;
    }
    if (c === QUOTE && depth > 0 && this.containerType[depth - 1] === OBJECT && this.awaitingKey[depth - 1]) {
      this.awaitingKey[depth - 1] = 0;
      this.beginString(pos, KEY);
      return pos + 1;
    }
    // A value starts. Decide what it is for.
    if (role === ROOT && this.pendingKey === 'log' && c === OPEN_BRACE) {
      this.sawLog = true;
      this.pendingKey = null;
      this.push(OBJECT, LOG, pos);
      return pos + 1;
    }
    if (role === LOG && this.pendingKey === 'entries' && c === OPEN_BRACKET) {
      this.sawEntries = true;
      this.pendingKey = null;
      this.push(ARRAY, ENTRIES, pos);
      return pos + 1;
    }
    if (role === ENTRIES && c === OPEN_BRACE && this.limits.parseIndentedEntries) {
      const end = this.tryIndentedEntry(pos);
      if (end !== -1) return end;
    }
    if (role === ENTRIES) this.captureTarget = { kind: 'entry' };
    else if (role === ROOT || role === LOG) {
      this.captureTarget = { kind: 'member', parent: role === ROOT ? 'root' : 'log', key: this.pendingKey ?? '' };
      this.pendingKey = null;
    } else {
      throw new HarScanError('not JSON', this.base + pos);
    }
    this.beginCapture(pos);
    if (c === QUOTE) {
      this.beginString(pos, CAPTURED);
      return pos + 1;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      this.push(c === OPEN_BRACE ? OBJECT : ARRAY, PLAIN, pos);
      return pos + 1;
    }
    this.captureScalar = true;
    return pos + 1;
  }

  /**
   * The fast path for the entries of a pretty-printed HAR (what browsers export): an entry whose `{` starts its line
   * after an indentation I ends at the first later line that is I followed by `}`. JSON text cannot hold a raw line
   * break inside a string, so that line is structure; the guess is then checked by JSON.parse, which accepts the text
   * only if it is exactly one JSON value, and one that starts at this `{` can only be this entry. Short entries only
   * (no string in them can need cutting) and only when the entry ends in this chunk. Returns the position after the
   * entry, or -1 to read it the general way.
   */
  private tryIndentedEntry(open: number): number {
    const buf = this.buf;
    let lineStart = open;
    while (lineStart > 0 && (buf[lineStart - 1] === SPACE || buf[lineStart - 1] === TAB)) lineStart--;
    if (lineStart === 0 || buf[lineStart - 1] !== LF) return -1;
    const indent = open - lineStart;
    const limit = Math.min(buf.length, open + this.limits.maxStringLength);
    // Candidates: closing braces that start a line after the same indentation (an entry has fewer of them than lines).
    let close = buf.indexOf(CLOSE_BRACE, open + 1);
    while (close !== -1 && close < limit) {
      const lf = close - indent - 1;
      let k = 0;
      if (buf[lf] === LF) while (k < indent && buf[lf + 1 + k] === buf[lineStart + k]) k++;
      if (k === indent && buf[lf] === LF) {
        const end = close + 1;
        const json = utf8.decode(buf.subarray(open, end));
        let value: unknown;
        try {
          value = JSON.parse(json);
        } catch {
          return -1;
        }
        this.onEvent({ kind: 'entry', index: this.entryCount++, json, cutStrings: 0, value });
        return end;
      }
      close = buf.indexOf(CLOSE_BRACE, close + 1);
    }
    return -1;
  }

  private push(type: number, role: number, pos: number): void {
    if (this.depth >= this.limits.maxDepth) {
      throw new HarScanError(`nesting deeper than ${this.limits.maxDepth} levels`, this.base + pos);
    }
    this.containerType[this.depth] = type;
    this.containerRole[this.depth] = role;
    this.awaitingKey[this.depth] = type === OBJECT ? 1 : 0;
    this.depth++;
  }

  private pop(c: number, pos: number): void {
    if (this.depth === 0) throw new HarScanError(`unexpected '${String.fromCharCode(c)}'`, this.base + pos);
    const expected = this.containerType[this.depth - 1] === OBJECT ? CLOSE_BRACE : CLOSE_BRACKET;
    if (c !== expected) throw new HarScanError(`unexpected '${String.fromCharCode(c)}'`, this.base + pos);
    this.depth--;
  }

  private beginCapture(pos: number): void {
    this.capturing = true;
    this.captureDepth = this.depth;
    this.captureScalar = false;
    this.capturePieces = [];
    this.capturedLength = 0;
    this.captureStart = pos;
    this.cutStrings = 0;
  }

  private finishCapture(endPos: number): void {
    const tail = this.buf.subarray(this.captureStart, endPos);
    const bytes = this.capturePieces.length === 0 ? tail : concat([...this.capturePieces, tail], this.capturedLength + tail.length);
    const json = utf8.decode(bytes);
    this.capturing = false;
    this.captureScalar = false;
    this.capturePieces = [];
    this.capturedLength = 0;
    const target = this.captureTarget;
    if (target.kind === 'entry') {
      this.onEvent({ kind: 'entry', index: this.entryCount++, json, cutStrings: this.cutStrings });
    } else {
      this.onEvent({ kind: 'member', parent: target.parent, key: target.key, json, cutStrings: this.cutStrings, afterEntries: this.entriesClosed });
    }
  }

  private beginString(quotePos: number, role: number): void {
    this.inString = true;
    this.stringRole = role;
    this.stringSegmentStart = quotePos + 1;
    this.escapeCarried = false;
    this.stringCut = false;
    if (role === KEY) {
      this.keyLength = 0;
      this.keyOverlong = false;
    } else if (role === CAPTURED) {
      this.stringCapturedStart = this.capturedLength + (quotePos + 1 - this.captureStart);
    }
  }

  /** Scan string content from `pos`; returns the position after the closing quote, or buf.length if it continues. */
  private scanString(pos: number): number {
    const buf = this.buf;
    const len = buf.length;
    // Backslashes are counted only from here: a byte escaped by the previous chunk's last backslash is not one.
    let escapeFloor = pos;
    if (this.escapeCarried) {
      this.escapeCarried = false;
      escapeFloor = Math.min(pos + 1, len);
    }
    const segmentStart = this.stringSegmentStart;
    let from = escapeFloor;
    for (;;) {
      // Most strings of a HAR's structure are short: a plain loop finds their end sooner than a native call.
      let q = -1;
      const shortEnd = Math.min(len, from + SHORT_STRING);
      for (let i = from; i < shortEnd; i++) {
        if (buf[i] === QUOTE) {
          q = i;
          break;
        }
      }
      if (q === -1 && shortEnd < len) q = buf.indexOf(QUOTE, shortEnd);
      if (q === -1) {
        this.stringContinues(segmentStart, escapeFloor, len);
        return len;
      }
      let k = q - 1;
      while (k >= escapeFloor && buf[k] === BACKSLASH) k--;
      if (((q - 1 - k) & 1) === 1) {
        from = q + 1;
        continue;
      }
      this.stringEnds(segmentStart, q);
      return q + 1;
    }
  }

  private stringContinues(segmentStart: number, escapeFloor: number, len: number): void {
    const buf = this.buf;
    let k = len - 1;
    while (k >= escapeFloor && buf[k] === BACKSLASH) k--;
    this.escapeCarried = ((len - 1 - k) & 1) === 1;
    if (this.stringRole === KEY) {
      this.appendKey(segmentStart, len);
    } else if (this.stringRole === CAPTURED && !this.stringCut) {
      const lengthSoFar = this.capturedLength + (len - this.captureStart) - this.stringCapturedStart;
      if (lengthSoFar > this.limits.maxStringLength) this.cutString(len);
    }
  }

  private stringEnds(segmentStart: number, quotePos: number): void {
    this.inString = false;
    if (this.stringRole === KEY) {
      this.appendKey(segmentStart, quotePos);
      this.pendingKey = this.keyOverlong ? null : decodeKey(this.keyBytes.subarray(0, this.keyLength));
      return;
    }
    if (this.stringRole !== CAPTURED) return;
    if (this.stringCut) {
      // Resume the capture at the closing quote, which the kept prefix did not include.
      this.captureStart = quotePos + 1;
      this.stringCut = false;
    } else {
      const length = this.capturedLength + (quotePos - this.captureStart) - this.stringCapturedStart;
      if (length > this.limits.maxStringLength) {
        this.cutString(quotePos);
        this.captureStart = quotePos + 1;
        this.stringCut = false;
      }
    }
    if (this.captureDepth === this.depth && !this.captureScalar) this.finishCapture(quotePos + 1);
  }

  /**
   * Replace the current captured string by its first `keptStringPrefix` bytes and close it, so the captured
   * bytes stay valid JSON. `upTo` is how far buf has been read.
   */
  private cutString(upTo: number): void {
    const start = this.stringCapturedStart;
    const pending = this.buf.subarray(this.captureStart, upTo);
    const whole = this.capturePieces.length === 0 ? pending : concat([...this.capturePieces, pending], this.capturedLength + pending.length);
    const keptEnd = safePrefixEnd(whole, start, Math.min(start + this.limits.keptStringPrefix, whole.length));
    const kept = new Uint8Array(keptEnd + 1);
    kept.set(whole.subarray(0, keptEnd));
    kept[keptEnd] = QUOTE;
    this.capturePieces = [kept];
    this.capturedLength = kept.length;
    this.captureStart = upTo;
    this.stringCut = true;
    this.cutStrings++;
  }

  private appendKey(start: number, end: number): void {
    if (this.keyOverlong) return;
    if (this.keyLength + (end - start) > MAX_KEY_LENGTH) {
      this.keyOverlong = true;
      this.keyLength = 0;
      return;
    }
    this.keyBytes.set(this.buf.subarray(start, end), this.keyLength);
    this.keyLength += end - start;
  }
}

function isWhitespace(c: number): boolean {
  return c === SPACE || c === LF || c === CR || c === TAB;
}

function decodeKey(bytes: Uint8Array): string | null {
  let raw = '';
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === undefined) break;
    if (b >= 128) {
      ascii = false;
      break;
    }
    raw += String.fromCharCode(b);
  }
  if (!ascii) raw = utf8.decode(bytes);
  if (raw.indexOf('\\') === -1) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return null;
  }
}

/**
 * Where a kept prefix `bytes[start, end)` of a JSON string body may end so that it is still a valid JSON string
 * body of whole characters: before a trailing partial escape sequence (`\`, `\u12`) and before a trailing partial
 * UTF-8 sequence.
 */
function safePrefixEnd(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end) {
    if (bytes[i] !== BACKSLASH) {
      i++;
      continue;
    }
    const escapeLength = bytes[i + 1] === 117 /* u */ ? 6 : 2;
    if (i + escapeLength > end) return i;
    i += escapeLength;
  }
  // Back up over a multi-byte character the cut split: continuation bytes are 10xxxxxx, a lead byte 11xxxxxx.
  let lead = end - 1;
  while (lead >= start && lead > end - 4 && ((bytes[lead] ?? 0) & 0xc0) === 0x80) lead--;
  const leadByte = bytes[lead];
  if (lead >= start && leadByte !== undefined && leadByte >= 0xc0) {
    const needed = leadByte >= 0xf0 ? 4 : leadByte >= 0xe0 ? 3 : 2;
    if (lead + needed > end) return lead;
  }
  return end;
}
