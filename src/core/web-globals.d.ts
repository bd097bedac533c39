/**
 * The web-platform globals the core may use: each exists, with this meaning, in Node ≥ 20 and in every browser the
 * extension supports (WHATWG URL, Encoding, console, base64, structured clone, timers). The core is type-checked
 * with these and ES2023 only (tsconfig.core.json) — no DOM and no Node types — so `document`, `window`, `Buffer` or
 * `process` in src/core fail to compile. Only tsconfig.core.json includes this file; the extension's DOM library and
 * Node's types declare the same names. Declarations are the subset the standards guarantee in both.
 */
export {};

declare global {
  interface URLSearchParams {
    append(name: string, value: string): void;
    delete(name: string, value?: string): void;
    get(name: string): string | null;
    getAll(name: string): string[];
    has(name: string, value?: string): boolean;
    set(name: string, value: string): void;
    sort(): void;
    toString(): string;
    forEach(callback: (value: string, key: string, parent: URLSearchParams) => void): void;
    entries(): IterableIterator<[string, string]>;
    keys(): IterableIterator<string>;
    values(): IterableIterator<string>;
    [Symbol.iterator](): IterableIterator<[string, string]>;
    readonly size: number;
  }
  var URLSearchParams: {
    prototype: URLSearchParams;
    new (init?: string[][] | Record<string, string> | string | URLSearchParams): URLSearchParams;
  };

  interface URL {
    hash: string;
    host: string;
    hostname: string;
    href: string;
    readonly origin: string;
    password: string;
    pathname: string;
    port: string;
    protocol: string;
    search: string;
    readonly searchParams: URLSearchParams;
    username: string;
    toString(): string;
    toJSON(): string;
  }
  var URL: {
    prototype: URL;
    new (url: string | URL, base?: string | URL): URL;
    canParse(url: string | URL, base?: string | URL): boolean;
  };

  interface TextDecodeOptions {
    stream?: boolean;
  }
  interface TextDecoder {
    readonly encoding: string;
    readonly fatal: boolean;
    readonly ignoreBOM: boolean;
    decode(input?: ArrayBufferView | ArrayBuffer, options?: TextDecodeOptions): string;
  }
  var TextDecoder: {
    prototype: TextDecoder;
    new (label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }): TextDecoder;
  };

  interface TextEncoder {
    readonly encoding: string;
    encode(input?: string): Uint8Array;
    encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
  }
  var TextEncoder: {
    prototype: TextEncoder;
    new (): TextEncoder;
  };

  interface Console {
    debug(...data: unknown[]): void;
    error(...data: unknown[]): void;
    info(...data: unknown[]): void;
    log(...data: unknown[]): void;
    warn(...data: unknown[]): void;
  }
  var console: Console;

  function atob(data: string): string;
  function btoa(data: string): string;
  function structuredClone<T>(value: T): T;
  /** Both Node and browsers return an opaque handle; the core only passes it back to clearTimeout. */
  function setTimeout(handler: () => void, timeout?: number): unknown;
  function clearTimeout(handle: unknown): void;
}
