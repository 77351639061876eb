import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface Probe {
  /** Status code and body for a probe path. */
  (): { ok: boolean; body: string };
}

export interface MetricsRoutes {
  metrics(): Promise<{ contentType: string; body: string }>;
  healthz: Probe;
  readyz: Probe;
}

/** Starts the HTTP server; rejects with an error naming host and port when it cannot listen. */
export async function listen(routes: MetricsRoutes, port: number, host: string): Promise<Server> {
  const server = createServer((request, response) => {
    handle(routes, request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(`metrics collection failed: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(listenError(error, port, host));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
  return server;
}

export async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve, reject) =>
    server.close((error) => (error ? reject(error) : resolve())),
  );
  // Prometheus keeps its connection open between scrapes; close() alone would wait for it.
  server.closeAllConnections();
  await closed;
}

function listenError(error: NodeJS.ErrnoException, port: number, host: string): Error {
  const where = `${host}:${port}`;
  if (error.code === 'EADDRINUSE') {
    return new Error(
      `@streamtune/metrics: cannot serve /metrics on ${where}: port ${port} is already in use ` +
        `(another service or a second metrics server in this process?); choose another metrics port`,
      { cause: error },
    );
  }
  if (error.code === 'EACCES') {
    return new Error(`@streamtune/metrics: no permission to listen on ${where} (port ${port})`, {
      cause: error,
    });
  }
  return new Error(`@streamtune/metrics: cannot listen on ${where}: ${error.message}`, { cause: error });
}

async function handle(routes: MetricsRoutes, request: IncomingMessage, response: ServerResponse) {
  const path = (request.url ?? '/').split('?')[0];
  const known = path === '/metrics' || path === '/healthz' || path === '/readyz';
  if (!known) return text(response, 404, `not found: ${path}; try /metrics, /healthz or /readyz\n`);
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('allow', 'GET, HEAD');
    return text(response, 405, `method ${request.method} not allowed\n`);
  }
  if (path === '/metrics') {
    const { contentType, body } = await routes.metrics();
    response.writeHead(200, { 'content-type': contentType });
    return void response.end(request.method === 'HEAD' ? undefined : body);
  }
  const probe = path === '/healthz' ? routes.healthz() : routes.readyz();
  return text(response, probe.ok ? 200 : 503, `${probe.body}\n`);
}

function text(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(body);
}
