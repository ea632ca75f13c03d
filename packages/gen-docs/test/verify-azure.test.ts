/**
 * verify-azure.sh of both examples, run by sh against a fake `az` (and `aws`) on PATH that answers
 * from fixtures (fixtures/azure/<example>.json: what az prints on a healthy deployment) and records
 * every call: a healthy deployment is all PASS; each classic failure (a learned route missing, a
 * single tunnel to an active-active gateway, Route Server without branch-to-branch, the web app
 * outside the point-to-site pool) is a FAIL that says what was expected and seen, and exit 1.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shellProblems } from '../../../tools/test-support/shell.ts';
import { example, file, generateDocs } from './helpers.ts';

const fixture = (name: string): Record<string, string> => JSON.parse(readFileSync(new URL(`./fixtures/azure/${name}.json`, import.meta.url), 'utf8'));

/** A fake az/aws: answers by "<command words> <--name|--vm|--url value>[ <Kudu command>]" from the fixture, records its arguments. */
const FAKE = `#!/usr/bin/env node
const fs = require('node:fs');
const args = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_LOG, JSON.stringify([require('node:path').basename(process.argv[1]), ...args]) + '\\n');
const words = [];
for (const a of args) { if (a.startsWith('--')) break; words.push(a); }
const at = ['--name', '--vm', '--url'].map((o) => args.indexOf(o)).find((i) => i >= 0);
const body = args.indexOf('--body');
const key = [...words, ...(at === undefined ? [] : [args[at + 1]]), ...(words[0] === 'rest' && body >= 0 ? [JSON.parse(args[body + 1]).command] : [])].join(' ');
const answers = JSON.parse(fs.readFileSync(process.env.FAKE_FIXTURE, 'utf8'));
if (!(key in answers)) { process.stderr.write('ERROR: (ResourceNotFound) ' + key + '\\n'); process.exit(3); }
process.stdout.write(answers[key]);
`;

function runScript(name: string, script: string, answers: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'hybridnet-verify-azure-'));
  for (const tool of ['az', 'aws']) {
    writeFileSync(join(dir, tool), FAKE);
    chmodSync(join(dir, tool), 0o755);
  }
  writeFileSync(join(dir, 'answers.json'), JSON.stringify(answers));
  writeFileSync(join(dir, 'verify-azure.sh'), script);
  const log = join(dir, 'calls.jsonl');
  writeFileSync(log, '');
  const run = spawnSync('sh', ['verify-azure.sh'], { cwd: dir, encoding: 'utf8', env: { PATH: `${dir}:${process.env.PATH}`, FAKE_LOG: log, FAKE_FIXTURE: join(dir, 'answers.json') } });
  const calls = readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as string[]);
  return { code: run.status, out: run.stdout, err: run.stderr, calls, name };
}

/** Every call only reads: a show, a list, a next-hop question, or Kudu's command API with a tcpping. */
const readOnly = (call: string[]) => {
  const [tool, ...args] = call;
  const words = args.slice(0, args.findIndex((a) => a.startsWith('--')));
  if (tool !== 'az') return false;
  if (words[0] === 'rest') return args.includes('--body') && /^\{"command":"tcpping [\d.]+:\d+"/.test(args[args.indexOf('--body') + 1]!);
  return /^(show|list-[a-z-]+|show-next-hop|show-health)$/.test(words.at(-1)!);
};

describe.each(['branch-to-branch', 'webapp-hybrid'])('verify-azure.sh of %s against a fake az', (name) => {
  const script = async () => file(await generateDocs(example(name)), 'verify-azure.sh');

  it('passes sh -n, bash -n and ShellCheck', async () => {
    expect(shellProblems(await script(), { bash: true })).toEqual([]);
  });

  it('is all PASS on a healthy deployment, and only reads', async () => {
    const text = await script();
    const run = runScript(name, text, fixture(name));
    expect(run.err).toBe('');
    expect(run.code, run.out).toBe(0);
    const lines = run.out.trim().split('\n');
    expect(lines.at(-1)).toBe('0 failed');
    expect(lines.slice(0, -1).every((l) => l.startsWith('PASS '))).toBe(true);
    // One az call per check (two through Kudu: the app's own host first), each answered by the fixture (an unknown question would FAIL).
    expect(run.calls.length).toBe(lines.length - 1 + run.calls.filter((c) => c[1] === 'webapp').length);
    // A token goes to Kudu only at the host read from the user's own app.
    for (const [i, c] of run.calls.entries()) if (c[1] === 'rest') expect(run.calls[i - 1]!.slice(1, 3)).toEqual(['webapp', 'show']);
    expect(run.calls.filter((c) => !readOnly(c))).toEqual([]);
  });
});

describe('verify-azure.sh catches the classic failures', () => {
  const failing = async (name: string, change: (answers: Record<string, string>) => void) => {
    const answers = fixture(name);
    change(answers);
    return runScript(name, file(await generateDocs(example(name)), 'verify-azure.sh'), answers);
  };

  it('the ExpressRoute gateway never learned the VPN branch (a host-only advertisement): FAIL naming the missing route, exit 1', async () => {
    const run = await failing('branch-to-branch', (a) => void (a['network vnet-gateway list-learned-routes ergw-hub'] = '10.100.0.0/16\n10.101.0.0/16\n10.50.0.0/16\n10.60.0.4/32\n'));
    expect(run.code).toBe(1);
    expect(run.out).toContain('FAIL ExpressRoute gateway ergw-hub has learned 10.50.0.0/16, 10.60.0.0/16: missing 10.60.0.0/16 (seen: 10.100.0.0/16 10.101.0.0/16 10.50.0.0/16 10.60.0.4/32)');
    expect(run.out.trim().split('\n').at(-1)).toBe('1 failed');
  });

  it('one tunnel to an active-active gateway: one BGP session where two are expected', async () => {
    const run = await failing('branch-to-branch', (a) => void (a['network vnet-gateway list-bgp-peer-status vgw-hub'] = '1\n'));
    expect(run.code).toBe(1);
    expect(run.out).toContain('FAIL VPN gateway vgw-hub has 2 BGP sessions with 10.60.0.4 (hub-to-branch-rras) Connected: expected 2, seen 1');
  });

  it('Route Server without branch-to-branch', async () => {
    const run = await failing('branch-to-branch', (a) => void (a['network routeserver show rs-hub'] = 'false\n'));
    expect(run.code).toBe(1);
    expect(run.out).toContain('FAIL Route Server rs-hub has branch-to-branch on: expected true, seen false');
  });

  it('the web app reaches nothing on premises, is not in the point-to-site pool, and the backend bypasses the firewall', async () => {
    const run = await failing('webapp-hybrid', (a) => {
      a['rest https://app-webapp-hybrid.scm.azurewebsites.net/api/command tcpping 10.20.1.20:3389'] = 'Connection attempt failed: Connection timed out\nComplete: 0/2 successful attempts\n';
      a['network vnet-gateway vpn-client show-health vgw-webapp'] = '';
      a['network watcher show-next-hop vm-backend'] = 'Internet\t\n';
    });
    expect(run.code).toBe(1);
    expect(run.out).toContain('FAIL web app app-webapp-hybrid opens TCP 3389 on ec2-onprem-aws (10.20.1.20) (intent app-to-sites): expected "Connected to", seen Connection attempt failed');
    expect(run.out).toContain('FAIL web app app-webapp-hybrid is a point-to-site client of vgw-webapp with an address in 172.16.201.0/24: none in 172.16.201.0/24 (seen: nothing)');
    expect(run.out).toContain("FAIL from vm-backend, Azure's next hop toward 203.0.113.0/24 (203.0.113.1) is firewall fw-webapp (10.10.1.4): expected VirtualAppliance 10.10.1.4, seen Internet");
    expect(run.out.trim().split('\n').at(-1)).toBe('3 failed');
  });

  it('an app that is not in the signed-in subscription gets no token: its Kudu call is never made, and the check fails', async () => {
    const run = await failing('webapp-hybrid', (a) => void delete a['webapp show app-webapp-hybrid']);
    expect(run.code).toBe(1);
    expect(run.calls.filter((c) => c[1] === 'rest')).toEqual([]);
    expect(run.out).toContain('FAIL web app app-webapp-hybrid opens TCP 3389 on ec2-onprem-aws (10.20.1.20) (intent app-to-sites): expected "Connected to", seen ERROR: (ResourceNotFound) webapp show app-webapp-hybrid');
  });

  it('an az error is a FAIL that shows it, not a crash', async () => {
    const run = await failing('webapp-hybrid', (a) => void delete a['network vpn-connection show webapp-to-aws']);
    expect(run.code).toBe(1);
    expect(run.out).toContain('FAIL connection webapp-to-aws is Connected: expected Connected, seen ERROR: (ResourceNotFound) network vpn-connection show webapp-to-aws');
  });
});
