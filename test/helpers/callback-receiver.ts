import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { verifyCallbackSignature } from '../../src/callbacks/callback-signature';
import type { TestApp } from './test-app';

/** How the receiver answers one request: a status, a redirect, or never (the request hangs). */
export type Answer = number | { redirect: string } | 'hang';

export interface ReceivedCallback {
  path: string;
  eventId: string;
  signature: string;
  contentType: string;
  rawBody: string;
  body: Record<string, unknown>;
  receivedAt: number;
  /** The status answered (a redirect's 302), or null for a request left hanging. */
  answered: number | null;
}

/**
 * A referrer's receiver in the test process: records every POST and answers, per path, from a
 * script (then 200). `hang` keeps the request open until the receiver closes.
 */
export class CallbackReceiver {
  readonly received: ReceivedCallback[] = [];
  private readonly scripts = new Map<string, Answer[]>();
  private readonly hanging = new Set<ServerResponse>();
  private readonly flakyPaths = new Set<string>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<CallbackReceiver> {
    const server = createServer();
    const receiver = new CallbackReceiver(server);
    server.on('request', (req, res) => receiver.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** The next answers at `path`, in order; after them, 200. */
  script(path: string, answers: Answer[]): void {
    this.scripts.set(path, [...answers]);
  }

  /** At `path`, the first request of each event answers 500, later ones 200. */
  flaky(path: string): void {
    this.flakyPaths.add(path);
  }

  at(path: string): ReceivedCallback[] {
    return this.received.filter((r) => r.path === path);
  }

  /** Whether every request at `path` carries a valid signature of its raw body. */
  allSigned(path: string, secret: string): boolean {
    return this.at(path).every((r) =>
      verifyCallbackSignature(secret, r.rawBody, r.signature, Math.floor(Date.now() / 1000)),
    );
  }

  async close(): Promise<void> {
    for (const res of this.hanging) {
      res.destroy();
    }
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const eventId = String(req.headers['x-refugio-event-id']);
      const seen = this.received.some((r) => r.eventId === eventId);
      const answer: Answer =
        this.scripts.get(path)?.shift() ?? (this.flakyPaths.has(path) && !seen ? 500 : 200);
      this.received.push({
        path,
        eventId,
        signature: String(req.headers['x-refugio-signature']),
        contentType: String(req.headers['content-type']),
        rawBody,
        body: JSON.parse(rawBody) as Record<string, unknown>,
        receivedAt: Date.now(),
        answered: answer === 'hang' ? null : typeof answer === 'number' ? answer : 302,
      });
      if (answer === 'hang') {
        this.hanging.add(res);
      } else if (typeof answer === 'number') {
        res.writeHead(answer).end();
      } else {
        res.writeHead(302, { location: answer.redirect }).end();
      }
    });
  }
}

/** A referrer registered by `registerCallbackReferrer`, with the keys the API gave it once. */
export interface CallbackReferrer {
  id: string;
  apiKey: string;
  webhookSecret: string;
  path: string;
}

/**
 * Registers a comisaría through `POST /api/v1/referrers` (201), by `app`'s admin, whose status
 * callbacks go to `path` on `receiver`.
 */
export async function registerCallbackReferrer(
  app: TestApp,
  receiver: CallbackReceiver,
  path: string,
): Promise<CallbackReferrer> {
  const response = await app
    .as(app.admin)
    .post('/api/v1/referrers')
    .send({
      name: `Comisaría ${path}`,
      authorityType: 'comisaria_familia',
      callbackUrl: receiver.url(path),
    })
    .expect(201);
  const body = response.body as CallbackReferrer;
  return { id: body.id, apiKey: body.apiKey, webhookSecret: body.webhookSecret, path };
}
