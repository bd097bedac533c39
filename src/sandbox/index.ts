/** The local S3-compatible CORS sandbox (`s3-cors-doctor serve`, the e2e fix replays): start it on a port. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SandboxServer, type SandboxOptions } from './server.js';

export type { SandboxOptions } from './server.js';

export interface Sandbox {
  /** http://host:port */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Start the sandbox; `port: 0` picks a free port (tests). */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  let port = options.port;
  const sandbox = new SandboxServer({
    ...options,
    get port() {
      return port;
    },
  });
  const server: Server = createServer((req, res) => {
    sandbox.handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader('content-type', 'text/plain');
        res.end(`sandbox error: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}\n`);
      } else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${hostForUrl}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
