/**
 * The one port in front of the ingresses, as a load balancer is in production: requests go to the ingresses in
 * turn, and one that refuses the connection (stopped, crashed, restarting) is skipped, so Procore's webhooks and
 * the operator API keep working while any one ingress is down. The request body is buffered so it can be resent.
 */
import http from 'node:http';

export interface Balancer {
  url: string;
  close(): Promise<void>;
}

function forward(upstream: URL, req: http.IncomingMessage, body: Buffer): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      resolve,
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** Only a connection that was never made is safe to retry elsewhere: the upstream never saw the request. */
function neverArrived(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ECONNREFUSED' || code === 'EHOSTUNREACH';
}

export async function startBalancer(host: string, port: number, upstreams: string[]): Promise<Balancer> {
  const targets = upstreams.map((u) => new URL(u));
  let next = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const first = next++ % targets.length;
        for (let i = 0; i < targets.length; i++) {
          try {
            const answer = await forward(targets[(first + i) % targets.length], req, body);
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
            return;
          } catch (err) {
            if (!neverArrived(err)) break;
          }
        }
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'no ingress answered' }));
      })();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return {
    url: `http://${host}:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
