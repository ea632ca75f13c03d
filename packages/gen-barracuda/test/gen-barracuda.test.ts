import { execFile, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { formatDiagnostic, parseTopology, type GenerateResult } from '@hybridnet/model';
import { validateTopology } from '@hybridnet/validate';
import { barracudaGenerator, CGF_CODES } from '@hybridnet/gen-barracuda';
import { compareGolden } from '../../../tools/test-support/golden.ts';
import { parsePowerShell } from '../../../tools/test-support/powershell.ts';
import { shellProblems } from '../../../tools/test-support/shell.ts';
import { PWSH, skipWithout } from '../../../tools/test-support/vendor-tools.ts';
import { DIAGNOSTIC_CASES } from './cases.ts';
import { startMockFirewall, type MockFirewall } from './mock-firewall.ts';
import { ForwardingRule, NetworkObject } from './rest-schema.ts';

const run = promisify(execFile);
const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));
const example = (name: string) => readFileSync(join(EXAMPLES, name, 'topology.yaml'), 'utf8');
const TOKEN = 'cgf-token-Qx81-do-not-print';
const PASSWORD = 'cgf-root-Pw-77-do-not-print';

function generate(text: string): GenerateResult {
  const loaded = parseTopology(text, 'topology.yaml');
  if (!loaded.topology || !loaded.index) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
  const errors = validateTopology(loaded.topology, loaded.index).filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => `${d.code}: ${d.message}`).join('\n'));
  return barracudaGenerator.generate(loaded.topology, loaded.index, { expectedSiteRoutes: new Map() });
}

/** Writes the generated files to a temporary folder, as `hybridnet generate` would. */
function materialise(result: GenerateResult): string {
  const dir = mkdtempSync(join(tmpdir(), 'hybridnet-cgf-'));
  for (const f of result.files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
  chmodSync(join(dir, 'fw-webapp', 'apply.sh'), 0o755);
  return dir;
}

type Outcome = { code: number; stdout: string; stderr: string };
type Applier = (dir: string, env: Record<string, string>, args?: string[]) => Promise<Outcome>;

/** apply.sh under sh. */
const applySh: Applier = (dir, env, args = []) => runScript('sh', [join(dir, 'fw-webapp', 'apply.sh'), ...args], env);

/** apply.ps1 under PowerShell 7 (pwsh), with the same environment; --dry-run is its -DryRun. */
const applyPs1: Applier = (dir, env, args = []) =>
  runScript(PWSH!, ['-NoProfile', '-NonInteractive', '-File', join(dir, 'fw-webapp', 'apply.ps1'), ...args.map((a) => (a === '--dry-run' ? '-DryRun' : a))], env);

async function runScript(command: string, argv: string[], env: Record<string, string>): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(command, argv, { env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), POWERSHELL_TELEMETRY_OPTOUT: '1', POWERSHELL_UPDATECHECK: 'Off', NO_COLOR: '1', ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const result = generate(example('webapp-hybrid'));
const payloads = result.files.filter((f) => f.path.includes('/payloads/'));

describe('webapp-hybrid firewall', () => {
  it('matches the golden files', () => {
    expect(result.diagnostics).toEqual([]);
    expect(compareGolden(fileURLToPath(new URL('./scenarios/webapp-hybrid/expected', import.meta.url)), result.files)).toEqual([]);
  });

  it('emits payloads in the documented REST shapes, objects before the rules that use them', () => {
    expect(payloads.map((p) => p.path.split('/').pop())).toEqual(['01-network-AZURE-NETWORKS.json', '02-network-ONPREM-NETWORKS.json', '03-network-EXTERNAL-API.json', '04-rule-AZURE-2-EXTERNAL-API.json']);
    for (const p of payloads) {
      const json = JSON.parse(p.content);
      const parsed = (p.path.includes('-network-') ? NetworkObject : ForwardingRule).safeParse(json);
      expect(parsed.success, `${p.path}: ${parsed.error?.message}`).toBe(true);
    }
  });

  it('puts the VNet and the point-to-site pool in the Azure group, in normal CIDR notation', () => {
    const azure = JSON.parse(payloads[0]!.content);
    expect(azure).toMatchObject({ name: 'AZURE-NETWORKS', type: 'listIPv4Network', included: [{ entry: { ip: '10.10.0.0/16' } }, { entry: { ip: '172.16.201.0/24' } }] });
  });

  it('passes traffic toward public space with Dynamic SNAT (Azure translates only the NIC\'s own address), and keeps the source toward private space', () => {
    const text = example('webapp-hybrid').replace(
      '          services: [HTTPS]\n      networkSecurityGroup:',
      '          services: [HTTPS]\n        - name: AZURE-2-ONPREM\n          source: [AZURE-NETWORKS]\n          destination: [ONPREM-NETWORKS]\n        - name: ONPREM-2-EXTERNAL-API\n          source: [ONPREM-NETWORKS]\n          destination: [EXTERNAL-API]\n          services: [HTTPS]\n      networkSecurityGroup:',
    );
    const rules = generate(text).files.filter((f) => /payloads\/\d+-rule-/.test(f.path)).map((f) => JSON.parse(f.content) as { name: string; action: { connection: { references: string } } });
    expect(Object.fromEntries(rules.map((r) => [r.name, r.action.connection.references]))).toEqual({ 'AZURE-2-EXTERNAL-API': 'Dynamic SNAT', 'AZURE-2-ONPREM': 'Original Source IP', 'ONPREM-2-EXTERNAL-API': 'Dynamic SNAT' });
  });

  it('apply.ps1 parses with the PowerShell grammar', () => {
    const script = result.files.find((f) => f.path.endsWith('apply.ps1'))!.content;
    expect(parsePowerShell(script).errors).toEqual([]);
  });

  it('apply.sh passes sh -n, bash -n and shellcheck', () => {
    expect(shellProblems(result.files.find((f) => f.path === 'fw-webapp/apply.sh')!.content, { bash: true })).toEqual([]);
  });
});

const appliers: { script: string; apply: Applier; skip: boolean }[] = [
  { script: 'apply.sh', apply: applySh, skip: false },
  { script: 'apply.ps1', apply: applyPs1, skip: skipWithout('apply.ps1 against the mock firewall', { pwsh: PWSH }) },
];

describe.each(appliers)('$script against a firewall on 127.0.0.1', ({ apply, skip }) => {
  let firewall: MockFirewall | undefined;
  afterEach(async () => firewall?.close());
  const it_ = skip ? it.skip : it;

  it_('creates everything in one transaction, then changes nothing on a second run; the token is never printed', async () => {
    firewall = await startMockFirewall({ token: TOKEN });
    const dir = materialise(result);
    const env = { BARRACUDA_URL: firewall.url, BARRACUDA_API_TOKEN: TOKEN };
    const first = await apply(dir, env);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain('activated: 4 created, 0 updated, 0 unchanged');
    const after = new Map(firewall.state);
    expect([...after.keys()].sort()).toEqual(['objects/networks/AZURE-NETWORKS', 'objects/networks/EXTERNAL-API', 'objects/networks/ONPREM-NETWORKS', 'rules/AZURE-2-EXTERNAL-API']);
    expect(firewall.requests.filter((r) => r.method !== 'GET' && r.path !== '/rest/config/v1/begin').every((r) => r.path.endsWith('?token=tx-1'))).toBe(true);
    expect(firewall.committed).toBe(1);

    const second = await apply(dir, env);
    expect(second.stdout).toContain('activated: 0 created, 0 updated, 4 unchanged');
    expect(firewall.state).toEqual(after);
    expect(firewall.requests.filter((r) => r.method === 'PUT' || (r.method === 'POST' && r.path.includes('forwarding-firewall')))).toHaveLength(4);
    for (const output of [first, second]) expect(output.stdout + output.stderr).not.toContain(TOKEN);
  });

  it_('updates an object changed on the firewall since', async () => {
    firewall = await startMockFirewall({ token: TOKEN });
    const dir = materialise(result);
    const env = { BARRACUDA_URL: firewall.url, BARRACUDA_API_TOKEN: TOKEN };
    await apply(dir, env);
    firewall.state.set('objects/networks/EXTERNAL-API', JSON.stringify({ name: 'EXTERNAL-API', comment: 'edited by hand', included: [] }));
    const rerun = await apply(dir, env);
    expect(rerun.stdout).toContain('updated objects/networks EXTERNAL-API');
    expect(rerun.stdout).toContain('activated: 0 created, 1 updated, 3 unchanged');
    expect(JSON.parse(firewall.state.get('objects/networks/EXTERNAL-API')!)).toEqual(JSON.parse(payloads[2]!.content));
  });

  it_('works on firmware without transactions', async () => {
    firewall = await startMockFirewall({ token: TOKEN, transactions: false });
    const outcome = await apply(materialise(result), { BARRACUDA_URL: firewall.url, BARRACUDA_API_TOKEN: TOKEN });
    expect(outcome.stdout).toContain('activated: 4 created');
    expect(firewall.requests.some((r) => r.path.includes('token='))).toBe(false);
    expect(firewall.committed).toBe(0);
  });

  it_('stops with a clear message on a wrong token (401), printing no token', async () => {
    firewall = await startMockFirewall({ token: TOKEN });
    const outcome = await apply(materialise(result), { BARRACUDA_URL: firewall.url, BARRACUDA_API_TOKEN: 'wrong-token-Zz9' });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toBe('error: the firewall rejected the credentials (401 on POST /rest/config/v1/begin)\n');
    expect(outcome.stdout + outcome.stderr).not.toContain('wrong-token-Zz9');
    expect(firewall.state.size).toBe(0);
  });

  it_('stops with a clear message on 409 Conflict from a Control Center-managed box', async () => {
    firewall = await startMockFirewall({ token: TOKEN, managed: true });
    const outcome = await apply(materialise(result), { BARRACUDA_URL: firewall.url, BARRACUDA_API_TOKEN: TOKEN });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('409 Conflict; a Control Center-managed or locked configuration cannot be changed here');
    expect(firewall.committed).toBe(0);
  });

  it_('--dry-run prints the requests and sends none', async () => {
    firewall = await startMockFirewall({ token: TOKEN });
    const outcome = await apply(materialise(result), { BARRACUDA_URL: firewall.url }, ['--dry-run']);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain('POST /rest/config/v1/begin');
    expect(outcome.stdout).toContain('PUT /rest/config/v1/forwarding-firewall/rules/AZURE-2-EXTERNAL-API if it exists or POST /rest/config/v1/forwarding-firewall/rules with:');
    expect(outcome.stdout).toContain('"references": "EXTERNAL-API"');
    expect(firewall.requests).toEqual([]);
  });

  it_('refuses to run without a URL or token (exit 2)', async () => {
    const dir = materialise(result);
    expect((await apply(dir, {})).code).toBe(2);
    expect((await apply(dir, { BARRACUDA_URL: 'http://127.0.0.1:9' })).stderr).toContain('set BARRACUDA_PASSWORD to the admin\'s password');
  });

  it_('signs in with the admin password (basic authentication, user root) when no token is given, and never prints it', async () => {
    firewall = await startMockFirewall({ token: TOKEN, password: PASSWORD });
    const outcome = await apply(materialise(result), { BARRACUDA_URL: firewall.url, BARRACUDA_PASSWORD: PASSWORD });
    expect(outcome).toMatchObject({ code: 0, stderr: '' });
    expect(outcome.stdout).toContain('activated: 4 created, 0 updated, 0 unchanged');
    expect(firewall.requests.every((r) => r.authorization === `Basic ${Buffer.from(`root:${PASSWORD}`).toString('base64')}` && r.token === undefined)).toBe(true);
    expect(outcome.stdout + outcome.stderr).not.toContain(PASSWORD);
  });

  it_('never follows a redirect to another host with the credentials', async () => {
    const elsewhere = await startMockFirewall({ token: TOKEN });
    try {
      firewall = await startMockFirewall({ token: TOKEN, redirectTo: elsewhere.url });
      for (const credentials of [{ BARRACUDA_API_TOKEN: TOKEN }, { BARRACUDA_PASSWORD: PASSWORD }] as Record<string, string>[]) {
        const outcome = await apply(materialise(result), { BARRACUDA_URL: firewall.url, ...credentials });
        expect(outcome.code).toBe(1);
        expect(outcome.stderr).toContain('answered POST /rest/config/v1/begin with a redirect (302); nothing is sent elsewhere');
      }
      expect(elsewhere.requests).toEqual([]);
    } finally {
      await elsewhere.close();
    }
  });
});

describe('apply.sh keeps the API token and the session token off disk and out of process lists', () => {
  let firewall: MockFirewall | undefined;
  afterEach(async () => firewall?.close());

  /** A `curl` first on PATH that records every command line it gets, then runs the real one. */
  function recordingCurl(): { bin: string; log: string } {
    const bin = mkdtempSync(join(tmpdir(), 'hybridnet-curl-'));
    const log = join(bin, 'argv.log');
    const real = execFileSync('sh', ['-c', 'command -v curl'], { encoding: 'utf8' }).trim();
    writeFileSync(join(bin, 'curl'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${real}' "$@"\n`, { mode: 0o755 });
    return { bin, log };
  }
  /** Every file under a folder whose content holds one of the needles. */
  const filesHolding = (dir: string, needles: string[]): string[] =>
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name))
      .filter((f) => needles.some((n) => readFileSync(f, 'utf8').includes(n)));

  it('never puts either token on a command line, and writes no file', async () => {
    firewall = await startMockFirewall({ token: TOKEN });
    const dir = materialise(result);
    const temp = mkdtempSync(join(tmpdir(), 'hybridnet-tmp-'));
    const curl = recordingCurl();
    const outcome = await runScript('sh', [join(dir, 'fw-webapp', 'apply.sh')], { BARRACUDA_URL: firewall.url, BARRACUDA_API_TOKEN: TOKEN, TMPDIR: temp, PATH: `${curl.bin}:${process.env.PATH}` });
    expect(outcome).toMatchObject({ code: 0, stderr: '' });
    const argv = readFileSync(curl.log, 'utf8');
    expect(argv.split('\n').filter(Boolean).length).toBeGreaterThan(5);
    expect(argv).not.toContain(TOKEN);
    expect(argv).not.toContain('tx-1');
    expect(firewall.requests.filter((r) => r.path.includes('?token=tx-1')).length).toBeGreaterThan(0); // the session token still reaches the firewall
    expect(readdirSync(temp)).toEqual([]);
    expect(filesHolding(dir, [TOKEN, 'tx-1'])).toEqual([]);
  });

  it.each(['SIGINT', 'SIGHUP', 'SIGTERM'] as const)('leaves nothing behind when stopped by %s mid-run', async (signal) => {
    firewall = await startMockFirewall({ token: TOKEN, hang: true });
    const dir = materialise(result);
    const temp = mkdtempSync(join(tmpdir(), 'hybridnet-tmp-'));
    // Its own process group, which a terminal signals as a whole on Ctrl-C or hang-up.
    const child = spawn('sh', [join(dir, 'fw-webapp', 'apply.sh')], { env: { PATH: process.env.PATH ?? '', BARRACUDA_URL: firewall.url, BARRACUDA_API_TOKEN: TOKEN, TMPDIR: temp }, stdio: 'ignore', detached: true });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code, sig) => resolve(code ?? (sig ? 128 : null))));
    // Wait until the run hangs inside the transaction, then stop it.
    for (let i = 0; i < 200 && !firewall.requests.some((r) => r.path.includes('forwarding-firewall')); i++) await new Promise((r) => setTimeout(r, 25));
    expect(firewall.requests.some((r) => r.path.includes('forwarding-firewall'))).toBe(true);
    process.kill(-child.pid!, signal);
    expect(await exited).not.toBe(0);
    expect(readdirSync(temp)).toEqual([]);
    expect(filesHolding(dir, [TOKEN, 'tx-1'])).toEqual([]);
  });
});

describe('a site whose VPN device is a CloudGen Firewall', () => {
  it('gets an IKEv2 tunnel sheet with both ends and where the key lives', () => {
    const text = example('branch-to-branch').replace('    device:\n      type: rras\n      publicIp: 203.0.113.60\n      privateIp: 10.60.0.4\n', '    device:\n      type: barracuda\n      publicIp: 203.0.113.60\n');
    const sheet = generate(text).files.find((f) => f.path === 'site-branch-rras/hub-to-branch-rras-VPN-SHEET.md')!.content;
    expect(sheet).toContain('| Local networks | `10.60.0.0/16` |');
    expect(sheet).toContain('| Remote networks | `10.100.0.0/16`, `10.101.0.0/16` |');
    expect(sheet).toContain('Remote gateway, tunnel 1 | the public IP of instance 1 of vgw-hub (Azure deployment output `VgwHubInstance1PublicIp`)');
    expect(sheet).toContain('read it from the environment variable HUB\\_BRANCH\\_RRAS\\_PSK');
  });
});

describe('diagnostics', () => {
  const cases = DIAGNOSTIC_CASES;
  it.each(cases)('$code', ({ code, text }) => {
    const outcome = generate(text());
    expect(outcome.diagnostics.map((d) => d.code)).toContain(code);
    expect(outcome.files).toEqual([]);
  });
  it('has a case for every code', () => {
    expect(Object.keys(CGF_CODES).filter((code) => !cases.some((c) => c.code === code))).toEqual([]);
  });
});
