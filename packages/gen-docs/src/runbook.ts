/**
 * DEPLOY.md: the steps in order across clouds, each with its exact command and which output of
 * one step feeds which parameter of the next. The parameter names are the ones every artefact
 * shares (from the model), so the runbook cannot drift from the templates and scripts.
 */
import { shString } from '@hybridnet/render';
import { adminPasswordParameter, connectionKeyParameter, connectionTunnels, deploymentEnvironmentVariable, gatewayInstanceParameter, pascalName, resourceGroup, type SecretRef, type SiteToSiteConnection, type Topology, type TopologyIndex } from '@hybridnet/model';

const env = deploymentEnvironmentVariable;
/** How `hybridnet deploy azure` gets a secret: a Key Vault reference, or this environment variable. */
const forDeploy = (ref: SecretRef, parameter: string) => ('keyVault' in ref ? 'Key Vault reference (nothing to export)' : `export \`${'env' in ref ? ref.env : env(parameter)}\``);
const where = (ref: SecretRef) => ('env' in ref ? `\`${ref.env}\`` : 'keyVault' in ref ? `Key Vault \`${ref.keyVault.vault}\` secret \`${ref.keyVault.secret}\`` : 'awsSecretsManager' in ref ? `AWS Secrets Manager \`${ref.awsSecretsManager.secretId}\`` : `SSM parameter \`${ref.ssmParameter.name}\``);

/** The command that puts a secret into the environment variable bicep/main.bicepparam reads. */
function fetchSecret(ref: SecretRef): string {
  if ('env' in ref) return '';
  if ('keyVault' in ref) return `$(az keyvault secret show --vault-name ${shString(ref.keyVault.vault)} --name ${shString(ref.keyVault.secret)} --query value --output tsv)`;
  if ('awsSecretsManager' in ref) return `$(aws secretsmanager get-secret-value --secret-id ${shString(ref.awsSecretsManager.secretId)} --query SecretString --output text)`;
  return `$(aws ssm get-parameter --name ${shString(ref.ssmParameter.name)} --with-decryption --query Parameter.Value --output text)`;
}

/** `export NAME="$(…)"` for every secret the .bicepparam file reads (a secret already in the environment needs none). */
function bicepParamExports(topology: Topology): string[] {
  const secrets: [SecretRef, string][] = [];
  for (const c of topology.connections) {
    if (c.type === 'expressroute') {
      if (c.authorizationKey) secrets.push([c.authorizationKey, `${pascalName(c.name)}AuthorizationKey`]);
    } else secrets.push([c.sharedKey, connectionKeyParameter(c.name)]);
  }
  for (const vnet of topology.azure.vnets) {
    const auth = vnet.vpnGateway?.pointToSite?.authentication;
    if (auth?.type === 'radius') secrets.push([auth.secret, `${pascalName(vnet.vpnGateway!.name)}RadiusSecret`]);
  }
  for (const fw of topology.azure.firewalls) secrets.push([fw.adminPassword, adminPasswordParameter(fw.name)]);
  for (const t of topology.testEndpoints.filter((e) => 'vnet' in e.attach)) secrets.push([t.adminPassword, adminPasswordParameter(t.name)]);
  const seen = new Set<string>();
  return secrets.flatMap(([ref, parameter]) => {
    const name = env(parameter);
    if ('env' in ref || seen.has(name)) return [];
    seen.add(name);
    // Assigned, then exported: `export X="$(…)"` would hide a failing read (ShellCheck SC2155).
    return [`${name}="${fetchSecret(ref)}" && export ${name}`];
  });
}

export function runbook(topology: Topology, index: TopologyIndex, source = 'topology.yaml'): string {
  const topologyFile = shString(source);
  const s2s = topology.connections.filter((c): c is SiteToSiteConnection => c.type === 'site-to-site');
  const awsSites = topology.sites.filter((s) => s.hosting.type === 'aws');
  const rrasSites = topology.sites.filter((s) => s.device.type === 'rras' && s.hosting.type !== 'aws');
  const group = resourceGroup(topology, 'network');
  const lines: string[] = [`# Deploying ${topology.name}`, '', 'Run the steps in order from the folder `hybridnet generate` wrote. Every value that crosses from one step to the next is named the same everywhere.', ''];
  let step = 0;
  const heading = (title: string) => lines.push(`## ${++step}. ${title}`, '');

  heading('Secrets');
  lines.push('Nothing generated contains a secret. Before deploying Azure, make each available as the last column says:', '', '| secret | lives in | for the Azure deployment |', '|---|---|---|');
  for (const c of topology.connections) {
    if (c.type === 'expressroute') {
      if (c.authorizationKey) lines.push(`| authorization key of ${c.name} | ${where(c.authorizationKey)} | ${forDeploy(c.authorizationKey, `${pascalName(c.name)}AuthorizationKey`)} |`);
      continue;
    }
    lines.push(`| pre-shared key of ${c.name} | ${where(c.sharedKey)} | ${forDeploy(c.sharedKey, connectionKeyParameter(c.name))} |`);
  }
  for (const fw of topology.azure.firewalls) lines.push(`| root password of ${fw.name} | ${where(fw.adminPassword)} | ${forDeploy(fw.adminPassword, adminPasswordParameter(fw.name))} |`);
  for (const t of topology.testEndpoints.filter((e) => 'vnet' in e.attach)) lines.push(`| admin password of ${t.name} | ${where(t.adminPassword)} | ${forDeploy(t.adminPassword, adminPasswordParameter(t.name))} |`);
  lines.push('', 'RRAS scripts and AWS instances read their keys themselves, where the topology says.', '');
  const exports = bicepParamExports(topology);
  if (exports.length > 0) lines.push('To deploy with the Azure CLI and `bicep/main.bicepparam` instead, which reads every secret from the environment, export each first:', '', '```sh', ...exports, '```', '');

  for (const site of awsSites) {
    if (site.hosting.type !== 'aws') continue;
    const stack = `hybridnet-${site.name}`;
    heading(`AWS stack for ${site.name}, first pass (Elastic IP)`);
    lines.push('```sh', `aws cloudformation deploy --region ${shString(site.hosting.region)} --stack-name ${shString(stack)} --template-file ${shString(`cloudformation/${site.name}/stack.yaml`)} --capabilities CAPABILITY_IAM`, `${env(`${pascalName(site.name)}PublicIp`)}="$(aws cloudformation describe-stacks --region ${shString(site.hosting.region)} --stack-name ${shString(stack)} --query "Stacks[0].Outputs[?OutputKey=='ElasticIp'].OutputValue" --output text)" && export ${env(`${pascalName(site.name)}PublicIp`)}`, '```', '', `Output \`ElasticIp\` → Azure parameter \`${pascalName(site.name)}PublicIp\`.`, '');
  }

  heading('Azure');
  const firewalls = topology.azure.firewalls;
  if (firewalls.length > 0) {
    // A Marketplace image deploys only once its terms are accepted in the subscription.
    lines.push('The firewall is a Marketplace image: its terms must be accepted once per subscription. `hybridnet deploy azure` does it; with the Azure CLI:', '', '```sh', ...[...new Set(firewalls.map((fw) => fw.imageSku))].map((plan) => `az vm image terms accept --urn ${shString(`barracudanetworks:barracuda-ng-firewall:${plan}:latest`)}`), '```', '');
  }
  lines.push('```sh', "subscription='<your subscription id>'", `npx hybridnet deploy azure ${topologyFile} --subscription "$subscription" --what-if`, `npx hybridnet deploy azure ${topologyFile} --subscription "$subscription"`, '```', '', `or with the Azure CLI: \`az deployment group create -g ${shString(group)} -f bicep/main.bicep -p bicep/main.bicepparam\` (create the resource groups first). A VPN gateway takes 30 to 45 minutes.`, '');
  const bound = topology.azure.appServices.filter((a) => a.integration.type === 'gateway-required');
  if (bound.length > 0) {
    lines.push(
      'Gateway-required App Service integration: the template makes the gateway trust the certificate App Service generated for the app; the app then needs the gateway\'s VPN client package. `hybridnet deploy azure` does this after the template (again on every run); with the Azure CLI:',
      '',
      '```sh',
    );
    for (const a of bound) {
      const gateway = index.vnets.get(a.integration.vnet)?.value.vpnGateway?.name ?? '';
      lines.push(
        `package=$(az network vnet-gateway vpn-client generate -g ${shString(group)} -n ${shString(gateway)} --processor-architecture Amd64 --output tsv)`,
        `az resource create -g ${shString(resourceGroup(topology, 'app'))} --resource-type Microsoft.Web/sites/virtualNetworkConnections/gateways -n ${shString(`${a.name}/${a.integration.vnet}/primary`)} --api-version 2024-11-01 --properties "{\\"vnetName\\": \\"${a.integration.vnet}\\", \\"vpnPackageUri\\": \\"$package\\"}"`,
      );
    }
    lines.push('```', '');
  }
  const outputs: string[] = [];
  for (const c of s2s) for (const t of connectionTunnels(c, index)) outputs.push(gatewayInstanceParameter(c.gateway, t.instance, 'PublicIp'), ...(c.bgp && index.vpnGateways.get(c.gateway)?.value.bgp ? [gatewayInstanceParameter(c.gateway, t.instance, 'BgpIp')] : []));
  const unique = [...new Set(outputs)];
  if (unique.length > 0) lines.push('Outputs used below (same names in the RRAS scripts and the AWS stacks):', '', ...unique.map((o) => `- \`${o}\``), '');

  for (const site of awsSites) {
    if (site.hosting.type !== 'aws') continue;
    const params = [...new Set(s2s.filter((c) => c.site === site.name).flatMap((c) => connectionTunnels(c, index).flatMap((t) => [gatewayInstanceParameter(c.gateway, t.instance, 'PublicIp'), ...(c.bgp && site.bgp ? [gatewayInstanceParameter(c.gateway, t.instance, 'BgpIp')] : [])])))];
    heading(`AWS stack for ${site.name}, second pass (${site.device.type === 'rras' ? 'RRAS instance' : 'VPN connections'})`);
    // Values from the Azure step and the bucket go in as shell variables, quoted where used.
    lines.push('```sh', ...(site.device.type === 'rras' ? ["bucket='<your S3 bucket>'"] : []), ...params.map((p) => `${p}='<Azure output ${p}>'`));
    if (site.device.type === 'rras') lines.push(`aws s3 cp ${shString(`rras/${site.name}/configure-rras.ps1`)} "s3://$bucket/rras/${site.name}/configure-rras.ps1"`);
    lines.push(`aws cloudformation deploy --region ${shString(site.hosting.region)} --stack-name ${shString(`hybridnet-${site.name}`)} --template-file ${shString(`cloudformation/${site.name}/stack.yaml`)} --capabilities CAPABILITY_IAM --parameter-overrides ${[...params.map((p) => `"${p}=$${p}"`), ...(site.device.type === 'rras' ? ['"ScriptBucket=$bucket"'] : [])].join(' ')}`, '```', '');
    lines.push(site.device.type === 'rras' ? 'The instance runs the RRAS script at boot with those addresses and restarts once if Remote Access needs it; its log is `C:\\hybridnet\\configure-rras.log`.' : 'Then give the Azure local network gateways the tunnel outside IPs of each VPN connection (`aws ec2 describe-vpn-connections`).', '');
  }

  for (const site of rrasSites) {
    const conns = s2s.filter((c) => c.site === site.name);
    const params = [...new Set(conns.flatMap((c) => connectionTunnels(c, index).flatMap((t) => [gatewayInstanceParameter(c.gateway, t.instance, 'PublicIp'), ...(c.bgp && site.bgp ? [gatewayInstanceParameter(c.gateway, t.instance, 'BgpIp')] : [])])))];
    heading(`RRAS at ${site.name}`);
    lines.push(`Copy \`rras/${site.name}/\` to the server and run, elevated:`, '', '```powershell', `.\\configure-rras.ps1 ${params.map((p) => `-${p} '<Azure output ${p}>'`).join(' ')}`, '```', '', 'Exit code 3010: restart Windows and run it again. It ends with PASS/FAIL checks.', '');
  }

  for (const fw of topology.azure.firewalls) {
    heading(`Firewall ${fw.name}`);
    lines.push(
      `The box turns on its management address (${fw.privateIp}) and its REST API at first boot (the VM's custom data). Run \`apply.sh\` from a machine that reaches https://${fw.privateIp}:8443: a VM in \`${fw.vnet}\` or a peered VNet, or one on a connected site.`,
      '',
      `The API token: sign in with Barracuda Firewall Admin (user root, the password above), then Configuration Tree › Box › Infrastructure Services › REST API Service › Access Tokens › create one with write access. The box's certificate is self-signed: \`BARRACUDA_INSECURE=1\` accepts it (or import the certificate and leave it unset).`,
      '',
      '```sh',
      "printf 'API token: '; stty -echo; read -r BARRACUDA_API_TOKEN; stty echo; echo; export BARRACUDA_API_TOKEN",
      `BARRACUDA_URL=https://${fw.privateIp}:8443 BARRACUDA_INSECURE=1 sh ${shString(`barracuda/${fw.name}/apply.sh`)} --dry-run`,
      `BARRACUDA_URL=https://${fw.privateIp}:8443 BARRACUDA_INSECURE=1 sh ${shString(`barracuda/${fw.name}/apply.sh`)}`,
      '```',
      '',
      `\`barracuda/${fw.name}/SHEET.md\` shows what it applies.`,
      '',
    );
  }

  heading('Verify');
  lines.push('Follow `docs/VERIFY.md` line by line. Where it names test endpoints, run `.\\verify.ps1 -From NAME` (Windows) or `sh verify.sh NAME` (Linux) on each endpoint NAME; every line must say PASS.', '');
  return `${lines.join('\n').trimEnd()}\n`;
}
