/**
 * What a signed-in user's machine gives the command line, for tests that run it as a process
 * against the local Resource Manager (arm-stand-in.ts):
 * - an `az` on PATH that answers `az account get-access-token` (what the Azure SDK's
 *   AzureCliCredential runs) and `az account show`, and records each call;
 * - the stand-in's certificate through NODE_EXTRA_CA_CERTS, as a user behind an inspecting proxy
 *   or on Azure Stack Hub adds their CA;
 * - for a named cloud, an HTTPS proxy (HTTPS_PROXY, which the SDK's pipeline follows) that carries
 *   each CONNECT to the cloud's Resource Manager host to the stand-in and records the host asked for.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { ArmStandIn } from './arm-stand-in.ts';

export const TEST_SUBSCRIPTION = '00000000-0000-0000-0000-0000000000aa';
export const TEST_TOKEN = 'test-token-from-az';

export interface FakeAz {
  /** The folder to put first on PATH. */
  readonly bin: string;
  /** Each call's arguments, in order. */
  calls(): string[][];
}

/** An `az` that is signed in (or, with `signedIn: false`, says to run az login, as az does). */
export function fakeAz(options: { signedIn?: boolean; subscription?: string } = {}): FakeAz {
  const bin = mkdtempSync(join(tmpdir(), 'hybridnet-az-'));
  const log = join(bin, 'calls.jsonl');
  writeFileSync(log, '');
  const script = `#!${process.execPath}
const fs = require('node:fs');
const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify(args) + '\\n');
if (${options.signedIn === false}) { process.stderr.write("ERROR: Please run 'az login' to setup account.\\n"); process.exit(1); }
if (args[0] === 'account' && args[1] === 'get-access-token') {
  process.stdout.write(JSON.stringify({ accessToken: ${JSON.stringify(TEST_TOKEN)}, expiresOn: '2099-01-01 00:00:00.000000', expires_on: 4070908800, subscription: ${JSON.stringify(options.subscription ?? TEST_SUBSCRIPTION)}, tenant: '00000000-0000-0000-0000-0000000000bb', tokenType: 'Bearer' }));
} else if (args[0] === 'account' && args[1] === 'show') {
  process.stdout.write(JSON.stringify({ id: ${JSON.stringify(options.subscription ?? TEST_SUBSCRIPTION)}, name: 'test', isDefault: true, state: 'Enabled', tenantId: '00000000-0000-0000-0000-0000000000bb' }));
} else { process.stderr.write('fake az: unknown command ' + args.join(' ') + '\\n'); process.exit(2); }
`;
  writeFileSync(join(bin, 'az'), script);
  chmodSync(join(bin, 'az'), 0o755);
  return { bin, calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as string[]) };
}

/** The environment of a user signed in with az, talking to the stand-in as a custom Resource Manager. */
export function azureEnvironment(standIn: ArmStandIn, az: FakeAz, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    PATH: `${az.bin}${delimiter}${process.env.PATH ?? ''}`,
    NODE_EXTRA_CA_CERTS: standIn.caFile,
    // Only the developer credentials (Azure CLI first): no managed-identity probe on a test machine.
    AZURE_TOKEN_CREDENTIALS: 'dev',
    AZURE_RESOURCE_MANAGER_ENDPOINT: standIn.endpoint,
    AZURE_SUBSCRIPTION_ID: undefined,
    AZURE_CLIENT_ID: undefined,
    AZURE_CLIENT_SECRET: undefined,
    AZURE_TENANT_ID: undefined,
    HTTPS_PROXY: undefined,
    https_proxy: undefined,
    HYBRIDNET_TEST_POLL_MS: '1',
    ...extra,
  };
}

export interface CloudProxy {
  readonly url: string;
  /** The hosts asked for with CONNECT, in order. */
  readonly hosts: string[];
  close(): Promise<void>;
}

/** An HTTPS proxy that carries every CONNECT to the stand-in, as if it were the host asked for. */
export async function cloudProxy(standIn: ArmStandIn): Promise<CloudProxy> {
  const target = new URL(standIn.endpoint);
  const hosts: string[] = [];
  const server: Server = createServer((client) => {
    client.once('data', (head) => {
      const line = head.toString('latin1').split('\r\n')[0] ?? '';
      const m = /^CONNECT (\S+) HTTP\/1\.[01]$/.exec(line);
      if (!m) return client.end('HTTP/1.1 405 Method Not Allowed\r\n\r\n');
      hosts.push(m[1]!);
      const upstream = connect(Number(target.port), target.hostname, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hosts,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
