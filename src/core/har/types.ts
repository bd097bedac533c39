/** The parts of a HAR 1.2 entry the tool reads (http://www.softwareishard.com/blog/har-12-spec/), plus Chrome's extensions. */
export interface HarHeader {
  name: string;
  value: string;
}

export interface HarEntry {
  startedDateTime?: string;
  time?: number;
  /** HAR 1.2: the `log.pages[].id` this entry belongs to. */
  pageref?: string;
  request: {
    method: string;
    url: string;
    headers: HarHeader[];
    postData?: { mimeType?: string; text?: string };
  };
  response?: {
    status: number;
    statusText?: string;
    headers: HarHeader[];
    content?: { size?: number; mimeType?: string; text?: string; encoding?: string };
    redirectURL?: string;
    _error?: string | null;
  };
  serverIPAddress?: string;
  _error?: string | null;
  _fromCache?: 'memory' | 'disk' | string;
  _resourceType?: string;
  _initiator?: { type?: string; url?: string; requestId?: string } | null;
  _priority?: string;
  /** Chromium's request id, when the exporter records it (live DevTools capture); links a preflight's `_initiator.requestId`. */
  _requestId?: string;
  /** Set by the capture adapters: the tab's page URL when the source knows it (Firefox documentUrl). */
  _pageUrl?: string;
}

/** A HAR 1.2 page (`log.pages[]`): Chrome writes the page URL as its title. */
export interface HarPage {
  id: string;
  title?: string;
  startedDateTime?: string;
}
