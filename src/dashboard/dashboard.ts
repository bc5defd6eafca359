import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import { NestFastifyApplication } from '@nestjs/platform-fastify';

const PUBLIC_DIR = join(__dirname, 'public');

interface VendorFile {
  body: Buffer;
  type: string;
  etag: string;
}

/**
 * The page's libraries, served from their npm packages (never a CDN) under the names the import
 * map in index.html gives them. Read once at start-up from a fixed list: no path from a request
 * ever reaches the file system.
 */
function vendorFiles(): Map<string, VendorFile> {
  const preact = dirname(require.resolve('preact'));
  const hooks = dirname(require.resolve('preact/hooks'));
  // htm's and uPlot's "require" entries are CommonJS; their ES module builds sit beside them.
  const htm = dirname(require.resolve('htm'));
  const uplot = dirname(require.resolve('uplot'));
  const js = 'text/javascript; charset=utf-8';
  const sources: [string, string, string][] = [
    ['preact.mjs', join(preact, 'preact.mjs'), js],
    ['preact-hooks.mjs', join(hooks, 'hooks.mjs'), js],
    ['htm.mjs', join(htm, 'htm.mjs'), js],
    ['uplot.mjs', join(uplot, 'uPlot.esm.js'), js],
    ['uplot.css', join(uplot, 'uPlot.min.css'), 'text/css; charset=utf-8'],
  ];
  return new Map(
    sources.map(([name, path, type]) => {
      const body = readFileSync(path);
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
      return [name, { body, type, etag }];
    }),
  );
}

/**
 * The CSP sources of index.html's inline import map. A browser resolves the page's bare
 * specifiers ('preact', 'htm', 'uplot') only through an import map, and an external one
 * (`<script type="importmap" src>`) is not supported, so the inline map is allowed by its hash,
 * computed here from the file that is served: editing the map can never leave a stale hash.
 */
export function dashboardScriptSources(): string[] {
  const html = readFileSync(join(PUBLIC_DIR, 'index.html'), 'utf8');
  const maps = [...html.matchAll(/<script type="importmap">([\s\S]*?)<\/script>/g)];
  return maps.map(
    ([, content]) => `'sha256-${createHash('sha256').update(content).digest('base64')}'`,
  );
}

/** The staff dashboard: its own files, its libraries, and /dashboard → /dashboard/. */
export async function mountDashboard(app: NestFastifyApplication): Promise<void> {
  await app.register(fastifyStatic, {
    root: PUBLIC_DIR,
    prefix: '/dashboard/',
    decorateReply: false,
    index: 'index.html',
    // The type-checking settings of the page are for the build, not for browsers.
    allowedPath: (path) => !path.endsWith('tsconfig.json'),
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get('/dashboard', (_request, reply) => reply.redirect('/dashboard/'));
  const vendor = vendorFiles();
  fastify.get<{ Params: { file: string } }>('/dashboard/vendor/:file', (request, reply) => {
    const file = vendor.get(request.params.file);
    if (!file) {
      return reply.code(404).send({ statusCode: 404, code: 'NOT_FOUND', message: 'Not found' });
    }
    void reply.header('Content-Type', file.type);
    void reply.header('ETag', file.etag);
    void reply.header('Cache-Control', 'no-cache');
    if (request.headers['if-none-match'] === file.etag) {
      return reply.code(304).send();
    }
    return reply.send(file.body);
  });
}
