/**
 * The seam between the panel UI (App and components: pure Preact, props in, callbacks out) and its adapters
 * (main.tsx: capture, storage, permissions, probing, policy fetch). Components never touch extension APIs.
 */
import type { ObservedExchange } from '../core/evidence/types.js';
import type { Diagnosis } from '../core/diagnose/types.js';
import type { LintResult, ParsedPolicy, RenderFormat } from '../core/policy/index.js';
import type { Credentials, ProbeResult } from '../messages.js';

/** The probe and credential types travel between contexts, so they live in the message seam. */
export type { Credentials, ProbeResult, ProbeStep } from '../messages.js';

export interface CapturedRow {
  exchange: ObservedExchange;
  diagnosis: Diagnosis;
}

/** Where the bucket's configuration came from, per bucket, for this session. */
export interface PolicyState {
  bucket: string;
  source: 'fetched' | 'pasted' | 'file' | 'none-configured';
  /** null with source 'none-configured' (GetBucketCors said NoSuchCORSConfiguration). */
  policy: ParsedPolicy | null;
  lint: LintResult | null;
}

/** Callbacks the panel offers; each is optional so a page test can mount App with none. */
export interface PanelActions {
  probe?(exchangeId: string): void;
  retest?(exchangeId: string): void;
  fetchPolicy?(bucket: string, credentials: Credentials | null): void;
  setCredentials?(credentials: Credentials): void;
  forgetCredentials?(): void;
  /** The user's answer to `state.signingConfirm`: sign for that endpoint with the stored credentials, or not. */
  confirmSigning?(bucket: string, confirmed: boolean): void;
  pastePolicy?(bucket: string, text: string, fileName?: string): void;
  /** A HAR file's bytes (UTF-8): read as bytes, a HAR may be larger than a string can be. */
  importHar?(har: Uint8Array, fileName: string): void;
  clear?(): void;
  setPreserveLog?(preserve: boolean): void;
  requestHostPermission?(origins: string[]): void;
  copyText?(text: string): void;
  download?(fileName: string, mimeType: string, text: string): void;
  /** The user picked another form for the fix; the adapter may remember it (it comes back as state.fixFormat). */
  setFixFormat?(format: RenderFormat): void;
}

/**
 * Adapter work in flight, so the panel can show it as busy between the click and the answer. Each field is absent
 * when nothing of that kind runs.
 */
export interface PendingActions {
  /** The captured evidence is still being read from the background when the panel opens. */
  capture?: true;
  /** The bucket whose CORS configuration is being fetched (GetBucketCors). */
  fetchPolicy?: string;
  /** The exchange being re-tested: re-probed until S3's answer changes, since fixes take a moment to propagate (S26). */
  retest?: string;
}

export interface PanelState {
  rows: CapturedRow[];
  policies: Record<string, PolicyState>;
  probes: Record<string, ProbeResult>;
  hasCredentials: boolean;
  preserveLog: boolean;
  theme: 'light' | 'dark';
  browser: 'chromium' | 'firefox';
  /** Hosts for which the optional host permission is granted (richer capture + probe + fetch). */
  grantedOrigins: string[];
  /** A message for the status bar (errors from adapters, "policy fetched", …). */
  notice: { kind: 'info' | 'error'; text: string } | null;
  fixFormat: RenderFormat;
  /**
   * The stored credentials were entered for another endpoint than this bucket's: nothing was signed, the panel asks
   * first. `endpoint` is what to confirm (`'aws'` or an origin); the labels are for people.
   */
  signingConfirm?: { bucket: string; endpoint: string; endpointLabel: string; boundTo: string };
  /** Absent (or empty) when no adapter action is in flight. */
  pending?: PendingActions;
  /** Captured requests received but not yet shown (the panel is behind a busy page); absent or 0 when caught up. */
  processing?: number;
}
