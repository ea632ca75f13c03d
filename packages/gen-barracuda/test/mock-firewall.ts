/**
 * A stand-in for a CloudGen Firewall's REST API on 127.0.0.1, for the apply scripts' end-to-end
 * tests: X-API-Token or basic authentication (401), a redirect elsewhere, transactions (begin/commit, or 404 like older
 * firmware), network objects and forwarding rules (GET/POST/PUT), and 409 on every change when
 * it plays a Control Center-managed box, or silence once a transaction is open. It records every request.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MockFirewall {
  readonly url: string;
  readonly requests: { method: string; path: string; token: string | undefined; authorization: string | undefined; body: string }[];
  readonly state: Map<string, string>;
  committed: number;
  close(): Promise<void>;
}

export async function startMockFirewall(options: { token: string; password?: string; transactions?: boolean; managed?: boolean; hang?: boolean; redirectTo?: string }): Promise<MockFirewall> {
  const state = new Map<string, string>();
  const mock: Omit<MockFirewall, 'url' | 'close'> & { committed: number } = { requests: [], state, committed: 0 };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const path = url.pathname;
      mock.requests.push({ method: req.method ?? '', path: `${path}${url.search}`, token: req.headers['x-api-token'] as string | undefined, authorization: req.headers.authorization, body });
      const reply = (status: number, json?: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(json === undefined ? '' : JSON.stringify(json));
      };
      // A box (or something posing as one) that sends the client elsewhere.
      if (options.redirectTo) {
        res.writeHead(302, { location: `${options.redirectTo}${path}` });
        return res.end();
      }
      const basic = options.password !== undefined && req.headers.authorization === `Basic ${Buffer.from(`root:${options.password}`).toString('base64')}`;
      if (req.headers['x-api-token'] !== options.token && !basic) return reply(401, { message: 'invalid credentials' });
      // A firewall that stops answering once the transaction is open (to interrupt a run mid-way).
      if (options.hang && path.startsWith('/rest/config/v1/forwarding-firewall/')) return;
      if (path === '/rest/config/v1/begin') return options.transactions === false ? reply(404) : reply(200, { token: 'tx-1' });
      if (path === '/rest/config/v1/commit') return (mock.committed++, reply(200, {}));
      const match = /^\/rest\/config\/v1\/forwarding-firewall\/(objects\/networks|rules)(?:\/([^/]+))?$/.exec(path);
      if (!match) return reply(404);
      const [, collection, name] = match;
      const key = `${collection}/${decodeURIComponent(name ?? '')}`;
      if (req.method === 'GET') return state.has(key) ? reply(200, JSON.parse(state.get(key)!)) : reply(404, { message: 'not found' });
      if (options.managed) return reply(409, { message: 'configuration is managed by the Control Center' });
      if (req.method === 'POST' && !name) {
        const posted = JSON.parse(body) as { name: string };
        const postedKey = `${collection}/${posted.name}`;
        if (state.has(postedKey)) return reply(409, { message: 'already exists' });
        state.set(postedKey, body);
        return reply(201, {});
      }
      if (req.method === 'PUT' && name) {
        if (!state.has(key)) return reply(404);
        state.set(key, body);
        return reply(204);
      }
      return reply(405);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(mock, { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
}
