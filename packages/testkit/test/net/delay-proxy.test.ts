import { createServer, connect, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { startDelayProxy, type DelayProxy } from '../../src/net/delay-proxy';

/** A real TCP server that answers every chunk with the same bytes. */
async function echoServer(): Promise<Server> {
  const server = createServer((s) => s.on('data', (d) => s.write(d)));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}
const portOf = (s: Server) => (s.address() as { port: number }).port;

async function connected(port: number): Promise<Socket> {
  const s = connect({ port, host: '127.0.0.1', noDelay: true });
  await once(s, 'connect');
  return s;
}

describe('delay proxy', () => {
  const cleanup: (() => Promise<unknown> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  it('adds the round-trip time to every request and answer, over real sockets', async () => {
    const echo = await echoServer();
    cleanup.push(() => new Promise((r) => echo.close(r)));
    const proxy: DelayProxy = await startDelayProxy({ targetPort: portOf(echo), rttMs: 60 });
    cleanup.push(() => proxy.close());
    expect([proxy.upstreamDelayMs, proxy.downstreamDelayMs]).toEqual([30, 30]);
    const client = await connected(proxy.port);
    cleanup.push(() => void client.destroy());
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      client.write(`ping ${i}`);
      const [answer] = (await once(client, 'data')) as [Buffer];
      // a lower bound only: how much later than that depends on the machine
      expect(performance.now() - started).toBeGreaterThanOrEqual(59);
      expect(answer.toString()).toBe(`ping ${i}`);
    }
    expect(proxy.connections).toBe(1);
  });

  it('delays each chunk from when it was read and keeps the byte order of a stream', async () => {
    const received: { at: number; data: Buffer }[] = [];
    const sink = createServer((s) => s.on('data', (data) => received.push({ at: performance.now(), data })));
    sink.listen(0, '127.0.0.1');
    await once(sink, 'listening');
    cleanup.push(() => new Promise((r) => sink.close(r)));
    const proxy = await startDelayProxy({
      targetPort: portOf(sink),
      upstreamDelayMs: 40,
      downstreamDelayMs: 0,
    });
    cleanup.push(() => proxy.close());
    const client = await connected(proxy.port);
    cleanup.push(() => void client.destroy());

    const sentAt: number[] = [];
    const chunk = (i: number) => Buffer.from(`${String(i).padStart(6, '0')};`);
    const n = 200;
    for (let i = 0; i < n; i++) {
      sentAt.push(performance.now());
      client.write(chunk(i));
      if (i % 20 === 19) await new Promise((r) => setTimeout(r, 5));
    }
    const total = n * chunk(0).length;
    while (received.reduce((s, r) => s + r.data.length, 0) < total)
      await new Promise((r) => setTimeout(r, 10));

    const stream = Buffer.concat(received.map((r) => r.data)).toString();
    expect(stream).toBe(Array.from({ length: n }, (_, i) => chunk(i).toString()).join(''));
    // every byte arrived at least the delay after it was written: the first byte of each
    // received chunk belongs to a send that was at most then
    let offset = 0;
    for (const r of received) {
      const index = Math.floor(offset / chunk(0).length);
      expect(r.at - (sentAt[index] as number)).toBeGreaterThanOrEqual(39);
      offset += r.data.length;
    }
  });

  it('ends the client connection when the target goes away', async () => {
    const target = createServer((s) => s.destroy());
    target.listen(0, '127.0.0.1');
    await once(target, 'listening');
    cleanup.push(() => new Promise((r) => target.close(r)));
    const proxy = await startDelayProxy({ targetPort: portOf(target), rttMs: 10 });
    cleanup.push(() => proxy.close());
    const client = await connected(proxy.port);
    client.on('error', () => undefined);
    await once(client, 'close');
  });
});
