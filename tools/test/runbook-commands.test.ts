/**
 * DEPLOY.md and VERIFY.md name only what exists: for both examples and a topology with every
 * feature (test/topologies/every-feature.yaml), every command in them is read and each file,
 * template parameter and output, script parameter, stack parameter and output, resource group and
 * Azure resource it names is looked up in the artefacts generated with them.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseTopology } from '@hybridnet/model';
import { checkTopology, runGenerators, TARGETS } from '@hybridnet/cli';
import { shellProblems } from '../test-support/shell.ts';
import { parsePowerShellFiles, PWSH } from '../test-support/vendor-tools.ts';
import { REFERENCE, referenceMissing } from '../test-support/arm-stand-in.ts';

/** Microsoft's operations (../shared/reference/azure-rest/operations.json), where they are beside the checkout. */
const operations = referenceMissing ? (console.warn(`skipped the az rest check: ${referenceMissing}`), undefined) : (JSON.parse(readFileSync(join(REFERENCE, 'operations.json'), 'utf8')) as { operationId: string; method: string; path: string }[]);

const CASES: Record<string, string> = {
  'webapp-hybrid': 'examples/webapp-hybrid/topology.yaml',
  'branch-to-branch': 'examples/branch-to-branch/topology.yaml',
  'webapp-regional': 'examples/webapp-regional/topology.yaml',
  'every-feature': 'test/topologies/every-feature.yaml',
};

interface ArmJson {
  parameters: Record<string, unknown>;
  outputs: Record<string, unknown>;
  resources: { type: string; name: string; properties: { template?: ArmJson } }[];
}

/** Every command of a runbook: sh and PowerShell blocks, one per line, and inline code spans that run a CLI. */
function commands(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```(?:sh|powershell)\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split('\n'));
  const inline = [...markdown.matchAll(/(?<!`)`((?:az |aws |sh |npx |\.\\)[^`\n]+)`(?!`)/g)].map((m) => m[1]!);
  return [...blocks, ...inline].map((l) => l.trim()).filter(Boolean);
}

/** A quoted or bare argument's text. */
const unquote = (s: string) => s.replace(/^'(.*)'$/, '$1').replace(/'\\''/g, "'");
/** The value after an option in a command line (quoted or not). */
const option = (line: string, name: string) => [...line.matchAll(new RegExp(`${name} ('(?:[^']|'\\\\'')*'|"[^"]*"|\\S+)`, 'g'))].map((m) => unquote(m[1]!));

describe.each(Object.keys(CASES))('the runbooks of %s', (name) => {
  const generated = (async () => {
    const checked = checkTopology(parseTopology(readFileSync(CASES[name]!, 'utf8'), CASES[name]!));
    const { outputs, diagnostics } = await runGenerators(checked, TARGETS);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const files = new Map<string, string>(outputs.flatMap((o) => o.files.map((f) => [`${o.target}/${f.path}`, f.content] as const)));
    const arm = JSON.parse(files.get('bicep/main.json')!) as ArmJson;
    const flatten = (t: ArmJson): ArmJson['resources'] => t.resources.flatMap((r) => [r, ...(r.properties.template ? flatten(r.properties.template) : [])]);
    return { files, arm, resources: flatten(arm), topology: checked.topology! };
  })();

  it('every sh block and inline command passes sh -n, bash -n and ShellCheck', async () => {
    const { files } = await generated;
    for (const doc of ['docs/DEPLOY.md', 'docs/VERIFY.md']) {
      const md = files.get(doc)!;
      const sh = [...[...md.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!), ...[...md.matchAll(/(?<!`)`((?:az|aws|sh) [^`\n]+)`(?!`)/g)].map((m) => `${m[1]!}\n`)];
      for (const snippet of sh) expect(shellProblems(snippet, { bash: true }), `${doc}:\n${snippet}`).toEqual([]);
    }
  });

  it.skipIf(!PWSH && process.env.CI !== 'true')('every PowerShell block passes PowerShell\'s own parser', async () => {
    expect(PWSH, 'CI must have PowerShell (tools/vendor-tools/install.sh)').toBeDefined();
    const { files } = await generated;
    const dir = mkdtempSync(join(tmpdir(), 'hybridnet-runbook-ps-'));
    const scripts = ['docs/DEPLOY.md', 'docs/VERIFY.md'].flatMap((doc) => [...files.get(doc)!.matchAll(/```powershell\n([\s\S]*?)```/g)].map((m, i) => {
      const path = join(dir, `${doc.replace(/\W/g, '-')}-${i}.ps1`);
      writeFileSync(path, m[1]!);
      return path;
    }));
    expect(parsePowerShellFiles(scripts)).toEqual([]);
  });

  it('names only files that were generated', async () => {
    const { files } = await generated;
    for (const doc of ['docs/DEPLOY.md', 'docs/VERIFY.md']) {
      const here = doc.slice(0, doc.indexOf('/') + 1);
      for (const line of commands(files.get(doc)!)) {
        const paths = [...line.matchAll(/(?<![\w/.-])((?:bicep|rras|cloudformation|barracuda|docs)\/[\w./-]+\.(?:bicep|bicepparam|json|ps1|sh|yaml|md))/g)].map((m) => m[1]!);
        // VERIFY.md sits in docs/ and names its scripts from there.
        const local = doc === 'docs/VERIFY.md' ? [...line.matchAll(/(?:^|\s)(?:sh |\.\\)(verify[\w-]*\.(?:sh|ps1))/g)].map((m) => `${here}${m[1]}`) : [];
        for (const path of [...paths, ...local]) expect(files.has(path), `${doc}: ${line}`).toBe(true);
      }
    }
  });

  it("names only the template's parameters and outputs, the scripts' parameters and the stacks' parameters and outputs", async () => {
    const { files, arm } = await generated;
    const deploy = files.get('docs/DEPLOY.md')!;
    for (const m of deploy.matchAll(/<Azure output (\w+)>/g)) expect(Object.keys(arm.outputs), m[0]).toContain(m[1]);
    for (const m of deploy.matchAll(/Azure parameter `(\w+)`/g)) expect(Object.keys(arm.parameters), m[0]).toContain(m[1]);
    for (const m of deploy.matchAll(/^- `(\w+)`$/gm)) expect(Object.keys(arm.outputs), m[0]).toContain(m[1]);
    // The RRAS step: each -Name is a parameter of that site's script.
    for (const m of deploy.matchAll(/Copy `rras\/([\w-]+)\/`[\s\S]*?\.\\configure-rras\.ps1 ([^\n]*)/g)) {
      const script = files.get(`rras/${m[1]}/configure-rras.ps1`)!;
      const declared = [...script.slice(0, script.indexOf('\n)')).matchAll(/\$(\w+)/g)].map((p) => p[1]);
      for (const p of m[2]!.matchAll(/-(\w+) /g)) expect(declared, `configure-rras.ps1 of ${m[1]}: -${p[1]}`).toContain(p[1]);
    }
    // The AWS steps: each stack's parameter overrides and the outputs read back exist in it.
    for (const line of commands(deploy).filter((l) => l.startsWith('aws cloudformation'))) {
      const template = option(line, '--template-file')[0];
      if (!template) continue;
      const stack = parseYaml(files.get(template)!) as { Parameters: Record<string, unknown>; Outputs: Record<string, unknown> };
      for (const m of line.matchAll(/"(\w+)=\$\w+"/g)) expect(Object.keys(stack.Parameters), `${template}: ${m[1]}`).toContain(m[1]);
    }
    for (const m of deploy.matchAll(/--stack-name '([\w-]+)' --query "Stacks\[0\]\.Outputs\[\?OutputKey=='(\w+)'\]/g)) {
      const site = m[1]!.replace(/^hybridnet-/, '');
      const stack = parseYaml(files.get(`cloudformation/${site}/stack.yaml`)!) as { Outputs: Record<string, unknown> };
      expect(Object.keys(stack.Outputs), m[0]).toContain(m[2]);
    }
  });

  it("the secrets table says what bicep/main.bicepparam does: Key Vault by getSecret, the rest from the variables it names", async () => {
    const { files } = await generated;
    const rows = [...files.get('docs/DEPLOY.md')!.matchAll(/^\| ([^|]+) \| ([^|]+) \| ([^|]+) \|$/gm)].slice(1);
    const param = files.get('bicep/main.bicepparam')!;
    // Secure parameters: the line after a comment that says it never goes into a file.
    const secure = [...param.matchAll(/never goes into a file\.\n(param \w+ = .+)/g)].map((m) => m[1]!);
    const fromVault = secure.flatMap((l) => [.../az\.getSecret\(keyVaultSubscription, '[^']*', '([^']*)', '([^']*)'\)/.exec(l) ?? []].slice(1, 3).join('/') || []);
    const fromEnv = secure.flatMap((l) => /readEnvironmentVariable\('(\w+)'\)/.exec(l)?.[1] ?? []);
    const tableVault = rows.filter((r) => r[3]!.includes('getSecret')).map((r) => /Key Vault `([^`]+)` secret `([^`]+)`/.exec(r[2]!)!.slice(1, 3).join('/'));
    const tableEnv = rows.flatMap((r) => /^export `(\w+)`$/.exec(r[3]!)?.[1] ?? []);
    expect(new Set(tableVault)).toEqual(new Set(fromVault));
    expect(new Set(tableEnv)).toEqual(new Set(fromEnv));
    expect(rows.length).toBeGreaterThan(0);
  });

  it('creates every secret a deployment reads where it lives, before the step that reads it', async () => {
    const { files, topology } = await generated;
    const deploy = files.get('docs/DEPLOY.md')!;
    const prerequisites = deploy.slice(0, deploy.indexOf('\n## 2.'));
    const awsSite = (name: string) => topology.sites.find((s) => s.name === name)?.hosting.type === 'aws';
    // What hybridnet deploys reads these: connection keys, the firewalls', Azure test VMs' and AWS test machines' passwords.
    const refs = [
      ...topology.connections.flatMap((c) => (c.type === 'expressroute' ? (c.authorizationKey ? [c.authorizationKey] : []) : [c.sharedKey])),
      ...topology.azure.firewalls.map((f) => f.adminPassword),
      ...topology.testEndpoints.filter((t) => 'vnet' in t.attach || awsSite(t.attach.site)).map((t) => t.adminPassword),
    ];
    for (const ref of refs) {
      const stored = 'env' in ref ? `${ref.env}="$secret" && export ${ref.env}` : 'keyVault' in ref ? `az keyvault secret set --vault-name '${ref.keyVault.vault}' --name '${ref.keyVault.secret}'` : 'awsSecretsManager' in ref ? `--name '${ref.awsSecretsManager.secretId}' --secret-string file:///dev/stdin` : `--name '${ref.ssmParameter.name}' --type SecureString`;
      expect(prerequisites, JSON.stringify(ref)).toContain(stored);
    }
  });

  it.skipIf(!operations)('every az rest call addresses an operation Microsoft documents, at its path, with its method', async () => {
    const { files } = await generated;
    for (const doc of ['docs/DEPLOY.md', 'docs/VERIFY.md']) {
      for (const line of commands(files.get(doc)!).filter((l) => /\baz rest /.test(l))) {
        const method = (option(line, '--method')[0] ?? 'get').toUpperCase();
        const url = option(line, '--url')[0]!;
        // App Service's console (Kudu): only at the host read from the user's own app, never one built from a name.
        if (url.endsWith('/api/command')) {
          expect(url, line).toBe('https://$kudu/api/command');
          expect(line, line).toMatch(/^kudu=\$\(az webapp show --resource-group '[^']+' --name '[^']+' --query '[^']*Repository[^']*' --output tsv\) && az rest /);
          continue;
        }
        // az rest prefixes a path with the cloud's Resource Manager and fills {subscriptionId} itself.
        const path = url.replace(/^https:\/\/[^/]+/, '').split('?')[0]!;
        const matching = operations!.filter((o) => o.method === method && new RegExp(`^${o.path.replace(/\{[^}]+\}/g, '[^/]+')}$`, 'i').test(path));
        expect(matching.map((o) => o.operationId), `${doc}: ${line}`).toHaveLength(1);
        expect(url, line).toMatch(/\?api-version=\d{4}-\d{2}-\d{2}$/);
      }
    }
  });

  it('names only resource groups, Azure resources and test machines of the topology', async () => {
    const { files, resources, topology } = await generated;
    // The topology's groups, its Key Vaults' and its ExpressRoute circuits' (from their resource ids).
    const groups = new Set([...Object.values(topology.azure.resourceGroups), ...[...JSON.stringify(topology).matchAll(/"resourceGroup":"([^"]+)"|\/resourceGroups\/([^/"]+)\//g)].map((m) => (m[1] ?? m[2])!)]);
    const named = (type: string) => new Set(resources.filter((r) => r.type === type).map((r) => r.name.split('/').pop()!.replace(/^\[|'\]$/g, '')));
    const byCommand: [RegExp, string][] = [
      [/^az network vnet-gateway /, 'Microsoft.Network/virtualNetworkGateways'],
      [/^az network vpn-connection /, 'Microsoft.Network/connections'],
      [/^az network routeserver /, 'Microsoft.Network/virtualHubs'],
      [/^az vm run-command /, 'Microsoft.Compute/virtualMachines'],
    ];
    let seen = 0;
    for (const doc of ['docs/DEPLOY.md', 'docs/VERIFY.md']) {
      for (const line of commands(files.get(doc)!).flatMap((l) => l.split(/\$\(|\|/)).map((l) => l.trim())) {
        for (const g of [...option(line, '--resource-group'), ...option(line, '-g')]) expect([...groups], `${doc}: ${line}`).toContain(g);
        for (const [pattern, type] of byCommand) {
          if (!pattern.test(line)) continue;
          for (const n of [...option(line, '--name'), ...option(line, '-n')]) {
            expect([...named(type)], `${doc}: ${line}`).toContain(n);
            seen++;
          }
        }
        for (const vm of option(line, '--vm')) expect([...named('Microsoft.Compute/virtualMachines')], `${doc}: ${line}`).toContain(vm);
        for (const m of line.matchAll(/tag:Name,Values=([\w-]+)/g)) expect(topology.sites.flatMap((s) => topology.testEndpoints.map((t) => `${s.name}-${t.name}`)), line).toContain(m[1]);
      }
    }
    expect(seen).toBeGreaterThan(0);
  });
});
