/** The parts of a HAR 1.2 entry the tool reads (http://www.softwareishard.com/blog/har-12-spec/), plus Chrome's extensions. */
export interface HarHeader {
  name: string;
  value: string;
}

export interface HarEntry {
  startedDateTime?: string;
  time?: number;
  request: { method: string; url: string; headers: HarHeader[]; postData?: { mimeType?: string; text?: string } };
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
  /** Set by the capture adapters: the tab's page URL when the source knows it (Firefox documentUrl). */
  _pageUrl?: string;
}
