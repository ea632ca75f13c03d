/**
 * DEPLOY.md: the steps in order across clouds, each with its exact command and which output of
 * one step feeds which parameter of the next. The parameter names are the ones every artefact
 * shares (from the model), so the runbook cannot drift from the templates and scripts.
 */
import { psString as psQuote, shString } from '@hybridnet/render';
import { AZURE_CLOUD_TABLE, KEY_VAULT_SUBSCRIPTION_VARIABLE, WEB_API, adminPasswordParameter, secretEnvironmentVariable, connectionKeyParameter, connectionTunnels, deploymentEnvironmentVariable, gatewayInstanceParameter, pascalName, resourceGroup, type ContextIntent, type ContextRouteSet, type SecretRef, type SiteToSiteConnection, type Topology, type TopologyIndex } from '@hybridnet/model';
import { azureChecks } from './azure-checks.ts';
import { firewallRoutes } from './paths.ts';
import { reachablePairs } from './verify.ts';

const env = deploymentEnvironmentVariable;
/**
 * How a deployment gets a secret: from Key Vault (`hybridnet deploy` passes a reference,
 * main.bicepparam calls getSecret), else from the environment variable main.bicepparam reads
 * (the model's secretEnvironmentVariable, as gen-bicep names it).
 */
const forDeploy = (ref: SecretRef, parameter: string) =>
  'keyVault' in ref ? 'read from Key Vault by the deployment (`getSecret` in `bicep/main.bicepparam`; a Key Vault reference from `hybridnet deploy`)' : `export \`${secretEnvironmentVariable(ref, parameter)}\``;
const where = (ref: SecretRef) => ('env' in ref ? `\`${ref.env}\`` : 'keyVault' in ref ? `Key Vault \`${ref.keyVault.vault}\` secret \`${ref.keyVault.secret}\`` : 'awsSecretsManager' in ref ? `AWS Secrets Manager \`${ref.awsSecretsManager.secretId}\`` : `SSM parameter \`${ref.ssmParameter.name}\``);

/** The command that puts a secret into the environment variable bicep/main.bicepparam reads. */
function fetchSecret(ref: SecretRef): string {
  if ('env' in ref) return '';
  if ('keyVault' in ref) return `$(az keyvault secret show --vault-name ${shString(ref.keyVault.vault)} --name ${shString(ref.keyVault.secret)} --query value --output tsv)`;
  if ('awsSecretsManager' in ref) return `$(aws secretsmanager get-secret-value --secret-id ${shString(ref.awsSecretsManager.secretId)} --query SecretString --output text)`;
  return `$(aws ssm get-parameter --name ${shString(ref.ssmParameter.name)} --with-decryption --query Parameter.Value --output text)`;
}

/** Every secret the Azure deployment takes, with its parameter and what it is. */
interface AzureSecret {
  readonly ref: SecretRef;
  readonly parameter: string;
  readonly what: string;
  /** A command that sets `secret` to its value, when one makes it (else it is typed at a prompt). */
  readonly obtain?: string;
}

function azureSecrets(topology: Topology): AzureSecret[] {
  const secrets: AzureSecret[] = [];
  for (const c of topology.connections) {
    if (c.type === 'expressroute') {
      // The circuit's owner makes an authorization; its key is the secret (az network express-route auth create).
      const { circuitSub, circuitGroup, circuit } = circuitParts(c.circuitId);
      const obtain = `secret="$(az network express-route auth create --subscription ${shString(circuitSub)} --resource-group ${shString(circuitGroup)} --circuit-name ${shString(circuit)} --name ${shString(`${topology.name}-${c.name}`)} --query authorizationKey --output tsv)"   # by the circuit's owner`;
      if (c.authorizationKey) secrets.push({ ref: c.authorizationKey, parameter: `${pascalName(c.name)}AuthorizationKey`, what: `authorization key of ${c.name}`, obtain });
    } else secrets.push({ ref: c.sharedKey, parameter: connectionKeyParameter(c.name), what: `pre-shared key of ${c.name}` });
  }
  for (const vnet of topology.azure.vnets) {
    const auth = vnet.vpnGateway?.pointToSite?.authentication;
    if (auth?.type === 'radius') secrets.push({ ref: auth.secret, parameter: `${pascalName(vnet.vpnGateway!.name)}RadiusSecret`, what: `RADIUS secret of ${vnet.vpnGateway!.name}` });
  }
  for (const fw of topology.azure.firewalls) secrets.push({ ref: fw.adminPassword, parameter: adminPasswordParameter(fw.name), what: `root password of ${fw.name}` });
  for (const t of topology.testEndpoints.filter((e) => 'vnet' in e.attach)) secrets.push({ ref: t.adminPassword, parameter: adminPasswordParameter(t.name), what: `admin password of ${t.name}` });
  return secrets;
}

/**
 * `NAME="$(…)" && export NAME` for every secret main.bicepparam reads from the environment that
 * lives in AWS (one already in the environment needs none; Key Vault secrets come by getSecret).
 */
function bicepParamExports(topology: Topology): string[] {
  const seen = new Set<string>();
  return azureSecrets(topology).flatMap(({ ref, parameter }) => {
    const name = env(parameter);
    if ('env' in ref || 'keyVault' in ref || seen.has(name)) return [];
    seen.add(name);
    // Assigned, then exported: `export X="$(…)"` would hide a failing read (ShellCheck SC2155).
    return [`${name}="${fetchSecret(ref)}" && export ${name}`];
  });
}

/** The subscription, resource group and name in an ExpressRoute circuit's resource id (the model checks its form). */
function circuitParts(id: string): { circuitSub: string; circuitGroup: string; circuit: string } {
  const [, , circuitSub, , circuitGroup, , , , circuit] = id.split('/') as string[];
  return { circuitSub: circuitSub!, circuitGroup: circuitGroup!, circuit: circuit! };
}

/** Asks for a secret without echoing it, into the shell variable `secret` (POSIX sh). */
const ASK = (what: string) => `printf '%s: ' ${shString(what)}; stty -echo; read -r secret; stty echo; echo`;

/**
 * The commands that create each secret where the topology says it lives, never showing it: typed
 * at a prompt that does not echo, handed over on standard input (no argument, no file).
 * Sources: az keyvault secret set (--file), AWS CLI file:// parameters, ssm put-parameter SecureString.
 */
/** An AWS secret lives in the region of the site that reads it (its RRAS instance or test machine): by the reference's JSON. */
function secretRegions(topology: Topology): Map<string, string> {
  const regions = new Map<string, string>();
  for (const site of topology.sites) {
    if (site.hosting.type !== 'aws') continue;
    for (const c of topology.connections) if (c.type === 'site-to-site' && c.site === site.name) regions.set(JSON.stringify(c.sharedKey), site.hosting.region);
    for (const t of topology.testEndpoints) if ('site' in t.attach && t.attach.site === site.name) regions.set(JSON.stringify(t.adminPassword), site.hosting.region);
  }
  return regions;
}

function storeSecrets(topology: Topology, secrets: readonly AzureSecret[]): string[] {
  const regions = secretRegions(topology);
  const awsRegion = (ref: SecretRef) => (regions.has(JSON.stringify(ref)) ? ` --region ${shString(regions.get(JSON.stringify(ref))!)}` : '');
  const done = new Set<string>();
  const out: string[] = [];
  for (const { ref, what, obtain } of secrets) {
    const key = JSON.stringify(ref);
    if (done.has(key) || 'env' in ref) continue;
    done.add(key);
    const ask = obtain ?? ASK(what);
    if ('keyVault' in ref) out.push(ask, `printf '%s' "$secret" | az keyvault secret set --vault-name ${shString(ref.keyVault.vault)} --name ${shString(ref.keyVault.secret)} --file /dev/stdin --output none`);
    else if ('awsSecretsManager' in ref) out.push(ask, `printf '%s' "$secret" | aws secretsmanager create-secret${awsRegion(ref)} --name ${shString(ref.awsSecretsManager.secretId)} --secret-string file:///dev/stdin --output text --query ARN`);
    else out.push(ask, `printf '%s' "$secret" | aws ssm put-parameter${awsRegion(ref)} --name ${shString(ref.ssmParameter.name)} --type SecureString --value file:///dev/stdin --output text --query Version`);
  }
  return out.length > 0 ? [...out, 'unset secret'] : [];
}

export function runbook(topology: Topology, index: TopologyIndex, source = 'topology.yaml', sets: readonly ContextRouteSet[] = [], intents: readonly ContextIntent[] = []): string {
  const topologyFile = shString(source);
  const s2s = topology.connections.filter((c): c is SiteToSiteConnection => c.type === 'site-to-site');
  const awsSites = topology.sites.filter((s) => s.hosting.type === 'aws');
  const rrasSites = topology.sites.filter((s) => s.device.type === 'rras' && s.hosting.type !== 'aws');
  const group = resourceGroup(topology, 'network');
  const lines: string[] = [`# Deploying ${topology.name}`, '', 'Run the steps in order from the folder `hybridnet generate` wrote. Every value that crosses from one step to the next is named the same everywhere.', ''];
  let step = 0;
  const heading = (title: string) => lines.push(`## ${++step}. ${title}`, '');

  heading('Prerequisites');
  lines.push('Each command once, in this order. None shows a secret: each is typed at a prompt that does not echo and handed over on standard input.', '');
  const secrets = azureSecrets(topology);
  const vaults = [...new Map(secrets.flatMap(({ ref }) => ('keyVault' in ref ? [[`${ref.keyVault.resourceGroup ?? group}/${ref.keyVault.vault}`, { vault: ref.keyVault.vault, group: ref.keyVault.resourceGroup ?? group }] as const] : []))).values()];
  const usesAws = awsSites.length > 0 || secrets.some(({ ref }) => 'awsSecretsManager' in ref || 'ssmParameter' in ref);
  const cloud = topology.azure.cloud;
  lines.push('### Sign in', '', ...(cloud === 'AzureCloud' ? [] : [`The topology is for ${cloud} (\`azure.cloud\`): az signs in there (${AZURE_CLOUD_TABLE[cloud].authorityHost}) and talks to ${AZURE_CLOUD_TABLE[cloud].resourceManager}; \`hybridnet deploy\` and \`verify azure\` follow the topology.`, '']), '```sh', ...(cloud === 'AzureCloud' ? [] : [`az cloud set --name ${cloud}`]), 'az login', "subscription='<your subscription id>'", 'az account set --subscription "$subscription"');
  if (vaults.length > 0) lines.push(`${KEY_VAULT_SUBSCRIPTION_VARIABLE}="$subscription" && export ${KEY_VAULT_SUBSCRIPTION_VARIABLE}`);
  lines.push('```', '');
  if (usesAws) lines.push('and for AWS, `aws configure` (or `aws sso login`) with rights on CloudFormation, EC2, S3 and the secrets below.', '');
  const groups = [...new Set([...Object.values(topology.azure.resourceGroups).filter((g): g is string => typeof g === 'string'), ...vaults.map((v) => v.group)])];
  lines.push('### Resource groups', '', `Create them first: the Key Vault below and the Azure CLI path need them (\`hybridnet deploy azure\` leaves a group that exists as it is, tags included).`, '', '```sh', ...groups.map((g) => `az group create --name ${shString(g)} --location ${shString(topology.azure.location)} --tags ${shString(`hybridnet:topology=${topology.name}`)} --output none`), '```', '');
  const er = topology.connections.filter((c) => c.type === 'expressroute');
  if (er.length > 0) {
    lines.push('### ExpressRoute', '', 'Each circuit must be provisioned by its provider with Azure private peering configured before the connection deploys; a circuit in another subscription also needs an authorization from its owner, whose key the secrets below store. Source: learn.microsoft.com, ExpressRoute: link a virtual network to a circuit.', '', '```sh');
    for (const c of er) {
      const { circuitSub, circuitGroup, circuit } = circuitParts(c.circuitId);
      lines.push(
        `az network express-route show --ids ${shString(c.circuitId)} --query '{provider: serviceProviderProvisioningState, circuit: circuitProvisioningState}' --output table   # Provisioned, Enabled`,
        `az network express-route peering show --subscription ${shString(circuitSub)} --resource-group ${shString(circuitGroup)} --circuit-name ${shString(circuit)} --name AzurePrivatePeering --query state --output tsv   # Enabled`,
      );
    }
    lines.push('```', '');
  }
  lines.push('### Secrets', '', '| secret | lives in | for the Azure deployment |', '|---|---|---|');
  for (const { ref, parameter, what } of secrets) lines.push(`| ${what} | ${where(ref)} | ${forDeploy(ref, parameter)} |`);
  lines.push('', 'RRAS scripts and AWS instances read their keys themselves, where the topology says.', '');
  if (vaults.length > 0) {
    lines.push(
      `A Key Vault must allow Resource Manager to read it during a deployment (\`enabledForTemplateDeployment\`), and whoever deploys needs \`Microsoft.KeyVault/vaults/deploy/action\` on it (Contributor has it). Created in the subscription you deploy to, with Azure RBAC (give yourself Key Vault Secrets Officer to add the secrets):`,
      '',
      '```sh',
      ...vaults.flatMap((v) => [
        `az keyvault create --name ${shString(v.vault)} --resource-group ${shString(v.group)} --location ${shString(topology.azure.location)} --enabled-for-template-deployment true --enable-rbac-authorization true --output none`,
        `az role assignment create --assignee "$(az ad signed-in-user show --query id --output tsv)" --role 'Key Vault Secrets Officer' --scope "$(az keyvault show --name ${shString(v.vault)} --query id --output tsv)" --output none`,
      ]),
      '```',
      '',
    );
  }
  // Besides the Azure deployment's secrets, the passwords the AWS test machines read at boot.
  const awsMachines = topology.testEndpoints.flatMap((t) => ('site' in t.attach && index.sites.get(t.attach.site)?.value.hosting.type === 'aws' ? [{ ref: t.adminPassword, parameter: adminPasswordParameter(t.name), what: `admin password of ${t.name}` }] : []));
  const store = storeSecrets(topology, [...secrets, ...awsMachines]);
  if (store.length > 0) lines.push('Then each secret, where it lives:', '', '```sh', ...store, '```', '');
  const fromEnv = [...new Set(secrets.flatMap(({ ref }) => ('env' in ref ? [ref.env] : [])))];
  if (fromEnv.length > 0) {
    const made = new Map(secrets.flatMap(({ ref, obtain }) => ('env' in ref && obtain ? [[ref.env, obtain] as const] : [])));
    const named = (name: string) => `${secrets.filter(({ ref }) => 'env' in ref && ref.env === name).map(({ what }) => what).join(', ')} (${name})`;
    lines.push('Secrets the topology keeps in environment variables are exported in the shell that deploys:', '', '```sh', ...fromEnv.flatMap((name) => [made.get(name) ?? ASK(named(name)), `${name}="$secret" && export ${name}`]), 'unset secret', '```', '');
  }
  const exports = bicepParamExports(topology);
  if (exports.length > 0) lines.push('For the Azure CLI path, `bicep/main.bicepparam` reads the secrets that live in AWS from the environment (the same value on both ends of a tunnel): export each first.', '', '```sh', ...exports, '```', '');

  const firewalls = topology.azure.firewalls;
  if (firewalls.length > 0) {
    // A Marketplace image deploys only once its terms are accepted in the subscription.
    lines.push('### Marketplace terms', '', 'The firewall is a Marketplace image: its terms must be accepted once per subscription. `hybridnet deploy azure` does it; with the Azure CLI:', '', '```sh', ...[...new Set(firewalls.map((fw) => fw.imageSku))].map((plan) => `az vm image terms accept --urn ${shString(`barracudanetworks:barracuda-ng-firewall:${plan}:latest`)} --output none`), '```', '');
  }
  const awsRras = awsSites.filter((s) => s.device.type === 'rras');
  if (awsRras.length > 0) {
    const regions = [...new Set(awsRras.flatMap((s) => (s.hosting.type === 'aws' ? [s.hosting.region] : [])))];
    lines.push('### S3 bucket', '', 'The RRAS instance downloads its script from a bucket you own (the second AWS step uploads it), in its region:', '', '```sh', "bucket='<your S3 bucket>'", ...regions.map((r) => `aws s3 mb "s3://$bucket" --region ${shString(r)}`), '```', '');
  }
  for (const site of awsSites) {
    if (site.hosting.type !== 'aws') continue;
    const stack = `hybridnet-${site.name}`;
    heading(`AWS stack for ${site.name}, first pass (Elastic IP)`);
    lines.push('```sh', `aws cloudformation deploy --region ${shString(site.hosting.region)} --stack-name ${shString(stack)} --template-file ${shString(`cloudformation/${site.name}/stack.yaml`)} --capabilities CAPABILITY_IAM`, `${env(`${pascalName(site.name)}PublicIp`)}="$(aws cloudformation describe-stacks --region ${shString(site.hosting.region)} --stack-name ${shString(stack)} --query "Stacks[0].Outputs[?OutputKey=='ElasticIp'].OutputValue" --output text)" && export ${env(`${pascalName(site.name)}PublicIp`)}`, '```', '', `Output \`ElasticIp\` → Azure parameter \`${pascalName(site.name)}PublicIp\`.`, '');
  }

  heading('Azure');
  lines.push('```sh', "subscription='<your subscription id>'", `npx hybridnet deploy azure ${topologyFile} --subscription "$subscription" --what-if`, `npx hybridnet deploy azure ${topologyFile} --subscription "$subscription"`, '```', '', `or with the Azure CLI: \`az deployment group create -g ${shString(group)} -f bicep/main.bicep -p bicep/main.bicepparam\` (create the resource groups first). A VPN gateway takes 30 to 45 minutes.`, '');
  // A route table on GatewaySubnet changes paths that already worked: what arrives from the sites
  // (and the point-to-site clients) toward those ranges now crosses the firewall.
  for (const vnet of topology.azure.vnets) {
    const subnet = vnet.subnets.find((x) => x.name === 'GatewaySubnet');
    const toFirewalls = firewallRoutes(subnet, index);
    const viaFirewall = toFirewalls.map((r) => `${r.prefix} → ${r.firewall}`);
    if (viaFirewall.length === 0) continue;
    lines.push(
      `GatewaySubnet of ${vnet.name} has route table \`${subnet!.routeTable}\` (${viaFirewall.join(', ')}): traffic from the sites and point-to-site clients toward those ranges now goes through the firewall, and so needs a rule there. After this step, check that the paths that worked before still work: the site and web-app lines of \`docs/VERIFY.md\`, and the firewall's rules (${[...new Set(toFirewalls.map((r) => `\`barracuda/${r.firewall}/SHEET.md\``))].join(', ')}) for each source network that reaches those ranges.`,
      '',
    );
  }
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
        // The gateway is a child two levels down: `az resource create` keeps only the first type
        // segment and would address sites/<app>/<vnet>/primary. `az rest` takes the resource's own
        // path (WebApps_CreateOrUpdateVnetConnectionGateway) and prefixes this cloud's Resource
        // Manager, with {subscriptionId} the signed-in subscription (az rest --help).
        `az rest --method put --url ${shString(`/subscriptions/{subscriptionId}/resourceGroups/${resourceGroup(topology, 'app')}/providers/Microsoft.Web/sites/${a.name}/virtualNetworkConnections/${a.integration.vnet}/gateways/primary?api-version=${WEB_API}`)} --body "{\\"properties\\": {\\"vnetName\\": \\"${a.integration.vnet}\\", \\"vpnPackageUri\\": \\"$package\\"}}" --output none`,
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
    if (site.device.type === 'rras') lines.push(`aws s3 cp --region ${shString(site.hosting.region)} ${shString(`rras/${site.name}/configure-rras.ps1`)} "s3://$bucket/rras/${site.name}/configure-rras.ps1"`);
    lines.push(`aws cloudformation deploy --region ${shString(site.hosting.region)} --stack-name ${shString(`hybridnet-${site.name}`)} --template-file ${shString(`cloudformation/${site.name}/stack.yaml`)} --capabilities CAPABILITY_IAM --parameter-overrides ${[...params.map((p) => `"${p}=$${p}"`), ...(site.device.type === 'rras' ? ['"ScriptBucket=$bucket"'] : [])].join(' ')}`, '```', '');
    lines.push(site.device.type === 'rras' ? 'The instance runs the RRAS script at boot with those addresses and restarts once if Remote Access needs it; its log is `C:\\hybridnet\\configure-rras.log`.' : `Then give the Azure local network gateways the tunnel outside IPs of each VPN connection (\`aws ec2 describe-vpn-connections --region ${shString(site.hosting.region)}\`).`, '');
  }

  for (const site of rrasSites) {
    const conns = s2s.filter((c) => c.site === site.name);
    const params = [...new Set(conns.flatMap((c) => connectionTunnels(c, index).flatMap((t) => [gatewayInstanceParameter(c.gateway, t.instance, 'PublicIp'), ...(c.bgp && site.bgp ? [gatewayInstanceParameter(c.gateway, t.instance, 'BgpIp')] : [])])))];
    heading(`RRAS at ${site.name}`);
    // Where the script reads each key: set before it runs, in the same elevated session.
    const keys = conns.map((c) => c.sharedKey);
    const envKeys = [...new Set(keys.flatMap((k) => ('env' in k ? [k.env] : [])))];
    const before: string[] = envKeys.map((name) => `$env:${name} = [System.Net.NetworkCredential]::new('', (Read-Host -AsSecureString ${psQuote(`pre-shared key of ${conns.filter((c) => 'env' in c.sharedKey && c.sharedKey.env === name).map((c) => c.name).join(', ')} (${name})`)})).Password`);
    if (keys.some((k) => 'keyVault' in k)) before.push(`Connect-AzAccount${cloud === 'AzureCloud' ? '' : ` -Environment ${cloud}`}   # the script reads its Key Vault keys with Az.KeyVault`);
    if (keys.some((k) => 'awsSecretsManager' in k || 'ssmParameter' in k)) before.push('Set-AWSCredential -ProfileName default   # the script reads its AWS keys with AWS Tools for PowerShell');
    lines.push(`Copy \`rras/${site.name}/\` to the server and run, elevated${before.length > 0 ? ', in one session (the keys are read where the topology says, never typed into a file)' : ''}:`, '', '```powershell', ...before, `.\\configure-rras.ps1 ${params.map((p) => `-${p} '<Azure output ${p}>'`).join(' ')}`, ...envKeys.map((name) => `Remove-Item Env:${name}`), '```', '', 'Exit code 3010: restart Windows and run it again. It ends with PASS/FAIL checks.', '');
  }

  for (const fw of topology.azure.firewalls) {
    heading(`Firewall ${fw.name}`);
    // Signed in as root with the password the deployment gave the box, read where it lives when the
    // script runs (basic authentication, which the REST API takes as it takes a token).
    const password = 'env' in fw.adminPassword ? `"$${fw.adminPassword.env}"` : `"${fetchSecret(fw.adminPassword)}"`;
    const reach = fw.publicIp
      ? [`The box turns on its management address and its REST API at first boot (the VM's custom data). Run \`apply.sh\` from where you are, through its public address (its REST API listens on 8443), or from a machine in \`${fw.vnet}\` with \`https://${fw.privateIp}:8443\`.`]
      : [`The box turns on its management address (${fw.privateIp}) and its REST API at first boot (the VM's custom data). It has no public address: run \`apply.sh\` from a machine that reaches https://${fw.privateIp}:8443 (a VM in \`${fw.vnet}\` or a peered VNet, or one on a connected site), with this folder copied there.`];
    lines.push(
      ...reach,
      '',
      `It signs in as root with the password the deployment set (${where(fw.adminPassword)}), read into the environment for the run and never written down. The box's certificate is self-signed: \`BARRACUDA_INSECURE=1\` accepts it (or import the certificate and leave it unset).`,
      '',
      '```sh',
      ...(fw.publicIp ? [`BARRACUDA_URL="https://$(az network public-ip show --resource-group ${shString(resourceGroup(topology, 'firewall'))} --name ${shString(`${fw.name}-pip`)} --query ipAddress --output tsv):8443" && export BARRACUDA_URL`] : [`BARRACUDA_URL=${shString(`https://${fw.privateIp}:8443`)} && export BARRACUDA_URL`]),
      `BARRACUDA_PASSWORD=${password} && export BARRACUDA_PASSWORD`,
      `BARRACUDA_INSECURE=1 sh ${shString(`barracuda/${fw.name}/apply.sh`)} --dry-run`,
      `BARRACUDA_INSECURE=1 sh ${shString(`barracuda/${fw.name}/apply.sh`)}`,
      'unset BARRACUDA_PASSWORD',
      '```',
      '',
      `\`barracuda/${fw.name}/SHEET.md\` shows what it applies.`,
      '',
    );
  }

  heading('Verify');
  const hasChecks = azureChecks(topology, index, sets, intents).length > 0;
  const hasPairs = reachablePairs(topology, index, sets, intents).length > 0;
  lines.push(
    [
      ...(hasChecks ? ['Run `sh docs/verify-azure.sh` where you signed in to Azure: it asks Azure what it learned and where traffic goes, one PASS or FAIL per line.'] : []),
      'Follow `docs/VERIFY.md` line by line.',
      ...(hasPairs ? ['Where it names test endpoints, copy `docs/verify.ps1` (Windows) or `docs/verify.sh` (Linux) to each endpoint NAME and run `.\\verify.ps1 -From NAME` or `sh verify.sh NAME` there; every line must say PASS.'] : []),
    ].join(' '),
    '',
  );
  if (topology.connections.length > 0 || topology.testEndpoints.some((t) => 'vnet' in t.attach)) {
    lines.push(
      'With the Azure SDK instead of az, one command reads the same (each gateway\'s learned routes, the BGP sessions, the connections, the test VMs\' effective routes, Network Watcher\'s next hop on each intent\'s path) and prints where Azure differs from the prediction; it exits 1 on any difference:',
      '',
      '```sh',
      `npx hybridnet verify azure ${topologyFile} --subscription "$${KEY_VAULT_SUBSCRIPTION_VARIABLE}"`,
      '```',
      '',
    );
  }
  const endpoints = topology.testEndpoints;
  if (endpoints.length > 0) {
    lines.push('No inbound port of a test machine is open to the Internet. Reach them through the cloud\'s own channel:', '');
    for (const t of endpoints) {
      const attach = t.attach;
      if ('vnet' in attach) {
        lines.push(
          t.os === 'windows'
            ? `- ${t.name} (Azure): \`az vm run-command invoke --resource-group ${shString(resourceGroup(topology, 'test'))} --name ${shString(t.name)} --command-id RunPowerShellScript --scripts @docs/verify.ps1 --parameters ${shString(`From=${t.name}`)}\` runs the checks there (or sign in through Azure Bastion)`
            : `- ${t.name} (Azure): \`az vm run-command invoke --resource-group ${shString(resourceGroup(topology, 'test'))} --name ${shString(t.name)} --command-id RunShellScript --scripts ${shString(`set -- ${shString(t.name)}`)} "$(cat docs/verify.sh)"\` runs the checks there (the first line names the endpoint; or sign in through Azure Bastion)`,
        );
        continue;
      }
      const site = index.sites.get(attach.site)?.value;
      if (site?.hosting.type === 'aws') {
        const instance = `"$(aws ec2 describe-instances --region ${shString(site.hosting.region)} --filters ${shString(`Name=tag:Name,Values=${site.name}-${t.name}`)} ${shString('Name=instance-state-name,Values=running')} --query 'Reservations[0].Instances[0].InstanceId' --output text)"`;
        lines.push(
          t.os === 'windows'
            ? `- ${t.name} (AWS, Windows): Session Manager (its role allows it; it reaches Systems Manager through its public address), forwarding RDP to this machine: \`aws ssm start-session --region ${shString(site.hosting.region)} --target ${instance} --document-name AWS-StartPortForwardingSession --parameters 'portNumber=3389,localPortNumber=13389'\`, then RDP to localhost:13389 as Administrator with the password in ${where(t.adminPassword)} (or pass \`KeyName=<your key pair>\` to both stack steps and read it with \`aws ec2 get-password-data\`)`
            : `- ${t.name} (AWS): Session Manager, \`aws ssm start-session --region ${shString(site.hosting.region)} --target ${instance}\` (its role allows it; it reaches Systems Manager through its public address; or pass \`KeyName=<your key pair>\` to both stack steps and use SSH)`,
        );
      } else {
        lines.push(`- ${t.name} (site ${attach.site}): yours to provide${'site' in attach ? ` on the site's LAN at ${t.privateIp ?? 'an address in its LAN'}` : ''}; hybridnet does not create it; sign in there as you usually do.`);
      }
    }
    lines.push('');
  }
  teardown(topology, lines, heading);
  return `${lines.join('\n').trimEnd()}\n`;
}

/**
 * How to remove everything the runbook made, in reverse order, so a lab with a billed gateway
 * does not run on: the AWS stacks (RRAS instance, VPN connections, test machines), the Azure
 * resource groups (gateways, connections, firewall, app, test VMs, the Key Vault in them), then
 * what lives outside them: the secrets in AWS, the bucket, the Marketplace terms if wanted.
 * Sources: az group delete, az keyvault purge (soft delete keeps a vault's name 90 days),
 * aws cloudformation delete-stack / wait stack-delete-complete, aws secretsmanager delete-secret,
 * aws ssm delete-parameter, aws s3 rb --force, az vm image terms cancel.
 */
function teardown(topology: Topology, lines: string[], heading: (title: string) => void): void {
  heading('Remove everything');
  lines.push('When the lab has served, remove it in this order (a VPN gateway is billed by the hour). Nothing here asks again: read each line first.', '', '```sh');
  for (const site of topology.sites) {
    if (site.hosting.type !== 'aws') continue;
    const args = `--region ${shString(site.hosting.region)} --stack-name ${shString(`hybridnet-${site.name}`)}`;
    lines.push(`aws cloudformation delete-stack ${args} && aws cloudformation wait stack-delete-complete ${args}`);
  }
  // The groups that attach to the network (test VMs, app, firewall) go before the network's own.
  const network = resourceGroup(topology, 'network');
  const groups = [...new Set(Object.values(topology.azure.resourceGroups).filter((g): g is string => typeof g === 'string' && g !== network)), network].reverse().sort((a, b) => Number(a === network) - Number(b === network));
  lines.push(...groups.map((g) => `az group delete --name ${shString(g)} --yes`));
  const refs = [
    ...topology.connections.flatMap((c) => (c.type === 'expressroute' ? (c.authorizationKey ? [c.authorizationKey] : []) : [c.sharedKey])),
    ...topology.azure.firewalls.map((f) => f.adminPassword),
    ...topology.testEndpoints.map((t) => t.adminPassword),
  ];
  const regions = secretRegions(topology);
  const done = new Set<string>();
  for (const ref of refs) {
    const key = JSON.stringify(ref);
    if (done.has(key)) continue;
    done.add(key);
    const region = regions.has(key) ? ` --region ${shString(regions.get(key)!)}` : '';
    if ('awsSecretsManager' in ref) lines.push(`aws secretsmanager delete-secret${region} --secret-id ${shString(ref.awsSecretsManager.secretId)} --force-delete-without-recovery`);
    if ('ssmParameter' in ref) lines.push(`aws ssm delete-parameter${region} --name ${shString(ref.ssmParameter.name)}`);
  }
  const vaults = [...new Map(refs.flatMap((r) => ('keyVault' in r ? [[r.keyVault.vault, r.keyVault.resourceGroup ?? network] as const] : []))).entries()];
  lines.push(...vaults.filter(([, g]) => !groups.includes(g)).map(([v]) => `az keyvault delete --name ${shString(v)}`));
  if (vaults.length > 0) lines.push(`# Azure keeps a deleted Key Vault's name for 90 days. To reuse it now:`, ...vaults.map(([v]) => `az keyvault purge --name ${shString(v)}`));
  if (topology.sites.some((s) => s.hosting.type === 'aws' && s.device.type === 'rras')) lines.push(`bucket='<your S3 bucket>'   # the bucket of the RRAS script: remove it only if it holds nothing else`, `aws s3 rb "s3://$bucket" --force`);
  const plans = [...new Set(topology.azure.firewalls.map((fw) => fw.imageSku))];
  if (plans.length > 0) lines.push('# Only if no other firewall of this image runs in the subscription:', ...plans.map((plan) => `az vm image terms cancel --urn ${shString(`barracudanetworks:barracuda-ng-firewall:${plan}:latest`)} --output none`));
  lines.push('```', '');
  const er = topology.connections.filter((c) => c.type === 'expressroute' && c.authorizationKey);
  if (er.length > 0) lines.push(`The ExpressRoute circuits stay (they are the provider's); their owner can remove the authorizations made for this lab (\`az network express-route auth delete\`).`, '');
  if (topology.sites.some((s) => s.device.type === 'rras' && s.hosting.type !== 'aws')) lines.push('On RRAS servers you provide, `Get-VpnS2SInterface | Where-Object Name -like \'azure-*\' | Remove-VpnS2SInterface -Force` removes the tunnels the script made.', '');
}
