/**
 * Topology → one CloudFormation template per site simulated in AWS with Windows Server RRAS.
 *
 * The stack deploys in two passes, because each side needs the other's public IPs: first with
 * the Azure gateway IP parameters empty (VPC, subnet, routes, the RRAS network interface and its
 * Elastic IP, which the Azure local network gateway needs); then, after the Azure deployment,
 * with them filled in, which adds the IKE/NAT-T/ESP ingress from exactly those addresses and the
 * Windows instance. Its UserData fetches the site's gen-rras script from S3 and runs it with the
 * gateway IPs; the script reads the pre-shared key itself from Secrets Manager or SSM through
 * the instance role, so no key is ever in the template, the UserData or the outputs. A site
 * whose device is aws-vpn-gateway gets the AWS-native alternative instead (see nativeTemplate).
 * Resource shapes: ../shared/reference/generators.md §4.1.
 *
 * Every free String parameter has an AllowedPattern, and a value that reaches a script is passed
 * as data: UserData holds the stack's values in a literal (single-quoted) PowerShell here-string
 * of JSON, which PowerShell never expands, and each pattern keeps a value on one line without
 * quotes or backslashes, so no value can end the here-string or its JSON string.
 */
import { psString, shString } from '@hybridnet/render/escape';
import { awsAzurePrefixes, connectionTunnels, gatewayInstanceParameter, pascalName, type Diagnostic, type SecretRef, type Site, type SiteToSiteConnection, type Topology, type TopologyIndex } from '@hybridnet/model';
import type { CfnCode } from './diagnostics.ts';
import type { CfnResource, CfnTemplate, CfnValue } from './ir.ts';

const WINDOWS_AMI = '/aws/service/ami-windows-latest/Windows_Server-{version}-English-Full-Base';
const LINUX_AMI = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64';
const ref = (name: string): CfnValue => ({ Ref: name });
const IPV4 = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}';
/** AllowedPattern of each kind of free String parameter: one line, no quotes, no backslashes. */
export const PARAMETER_PATTERNS = {
  ipv4OrEmpty: `^$|^${IPV4}$`,
  // S3 bucket names (docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
  bucketOrEmpty: '^$|^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
  // S3 object keys of the "safe characters" (docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html), without the quote.
  objectKey: '^[A-Za-z0-9!_.*()/-]{1,1024}$',
  // EC2 key pair names: printable ASCII; here without quotes, backslash and dollar.
  keyPairOrEmpty: '^$|^[A-Za-z0-9 ._+=,@:/-]{1,255}$',
} as const;
/** Fn::Sub text for a literal PowerShell here-string of JSON holding the named stack parameters. */
const stackValues = (names: readonly string[]) => ["$stack = @'", `{${names.map((n) => `"${n}":"\${${n}}"`).join(',')}}`, "'@ | ConvertFrom-Json"];
/** KeyName when given, nothing otherwise. */
const keyName = { 'Fn::If': ['HasKeyName', ref('KeyName'), ref('AWS::NoValue')] };
const sub = (text: string): CfnValue => ({ 'Fn::Sub': text });

export interface CfnStack {
  readonly site: string;
  readonly template: CfnTemplate;
}

export function toCfnStacks(topology: Topology, index: TopologyIndex): { stacks: CfnStack[]; diagnostics: Diagnostic[] } {
  const stacks: CfnStack[] = [];
  const diagnostics: Diagnostic[] = [];
  const report: Report = (code, path, message, hint) => diagnostics.push({ code, severity: 'error', path, message, hint });
  topology.sites.forEach((site, s) => {
    if (site.hosting.type !== 'aws') return;
    const connections = topology.connections.filter((c): c is SiteToSiteConnection => c.type === 'site-to-site' && c.site === site.name);
    if (site.device.type === 'rras') {
      connections.forEach((c) => {
        if (!('awsSecretsManager' in c.sharedKey) && !('ssmParameter' in c.sharedKey)) {
          report('hybridnet/gen-cloudformation/secret-not-readable-in-aws', ['connections', topology.connections.indexOf(c), 'sharedKey'], `the RRAS instance of "${site.name}" cannot read the key of "${c.name}" at boot from ${Object.keys(c.sharedKey)[0]}`, 'store the key in AWS Secrets Manager or SSM Parameter Store and reference it there');
        }
      });
      stacks.push({ site: site.name, template: rrasTemplate(site, connections, topology, index, report) });
    } else if (site.device.type === 'aws-vpn-gateway') {
      const before = diagnostics.length;
      connections.forEach((c) => checkNative(c, topology.connections.indexOf(c), index, report));
      if (diagnostics.length === before) stacks.push({ site: site.name, template: nativeTemplate(site, connections, topology, index, report) });
    } else {
      report('hybridnet/gen-cloudformation/device-not-supported', ['sites', s, 'device', 'type'], `site "${site.name}" runs in AWS with a ${site.device.type} device; a stack can stand up Windows Server RRAS or an AWS virtual private gateway`, 'use device type rras or aws-vpn-gateway for a site simulated in AWS');
    }
  });
  return { stacks, diagnostics: diagnostics.length > 0 ? diagnostics : [] };
}

/** What every site stack has: the VPC, its subnet, internet access, and the Azure gateway IP parameters. */
interface Base {
  readonly id: string;
  readonly resources: Record<string, CfnResource>;
  readonly parameters: CfnTemplate['Parameters'];
  readonly conditions: CfnTemplate['Conditions'];
  readonly outputs: CfnTemplate['Outputs'];
  readonly gatewayIps: string[];
  readonly azurePrefixes: string[];
  readonly tags: (name: string) => CfnValue;
}

function baseNetwork(site: Site, connections: SiteToSiteConnection[], topology: Topology, index: TopologyIndex): Base {
  if (site.hosting.type !== 'aws') throw new Error('not an AWS-hosted site');
  const hosting = site.hosting;
  const id = pascalName(site.name);
  const resources: Record<string, CfnResource> = {};
  const parameters: CfnTemplate['Parameters'] = {};
  const tags = (name: string): CfnValue => [{ Key: 'Name', Value: `${site.name}-${name}` }, { Key: 'hybridnet:site', Value: site.name }];
  // Azure gateway instance IPs, in the names every artefact uses for them.
  const gatewayIps: string[] = [];
  for (const c of connections) {
    for (const t of connectionTunnels(c, index)) {
      const name = gatewayInstanceParameter(c.gateway, t.instance, 'PublicIp');
      if (gatewayIps.includes(name)) continue;
      gatewayIps.push(name);
      parameters[name] = { Type: 'String', Default: '', AllowedPattern: PARAMETER_PATTERNS.ipv4OrEmpty, Description: `Public IP of instance ${t.instance} of Azure VPN gateway ${c.gateway} (an output of the Azure deployment). Leave empty on the first deployment.` };
    }
  }
  const known = gatewayIps.map((p) => ({ 'Fn::Not': [{ 'Fn::Equals': [ref(p), ''] }] }));
  // An EC2 key pair, to retrieve the Windows administrator password or log in (optional: SSM Session Manager works without).
  parameters.KeyName = { Type: 'String', Default: '', AllowedPattern: PARAMETER_PATTERNS.keyPairOrEmpty, Description: 'Name of an EC2 key pair for the instances (optional; Session Manager reaches them without one).' };
  const conditions: CfnTemplate['Conditions'] = { AzureGatewaysKnown: known.length === 1 ? known[0]! : { 'Fn::And': known }, HasKeyName: { 'Fn::Not': [{ 'Fn::Equals': [ref('KeyName'), ''] }] } };
  resources[`${id}Vpc`] = { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: hosting.vpcCidr, EnableDnsSupport: true, EnableDnsHostnames: true, Tags: tags('vpc') } };
  resources[`${id}InternetGateway`] = { Type: 'AWS::EC2::InternetGateway', Properties: { Tags: tags('igw') } };
  resources[`${id}GatewayAttachment`] = { Type: 'AWS::EC2::VPCGatewayAttachment', Properties: { VpcId: ref(`${id}Vpc`), InternetGatewayId: ref(`${id}InternetGateway`) } };
  resources[`${id}Subnet`] = { Type: 'AWS::EC2::Subnet', Properties: { VpcId: ref(`${id}Vpc`), CidrBlock: hosting.subnetCidr, AvailabilityZone: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }, MapPublicIpOnLaunch: false, Tags: tags('subnet') } };
  resources[`${id}RouteTable`] = { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: ref(`${id}Vpc`), Tags: tags('routes') } };
  resources[`${id}SubnetRoutes`] = { Type: 'AWS::EC2::SubnetRouteTableAssociation', Properties: { SubnetId: ref(`${id}Subnet`), RouteTableId: ref(`${id}RouteTable`) } };
  resources[`${id}DefaultRoute`] = { Type: 'AWS::EC2::Route', DependsOn: `${id}GatewayAttachment`, Properties: { RouteTableId: ref(`${id}RouteTable`), DestinationCidrBlock: '0.0.0.0/0', GatewayId: ref(`${id}InternetGateway`) } };
  const azurePrefixes = awsAzurePrefixes(connections, topology, index);
  return { id, resources, parameters, conditions, outputs: {}, gatewayIps, azurePrefixes, tags };
}

function rrasTemplate(site: Site, connections: SiteToSiteConnection[], topology: Topology, index: TopologyIndex, report: Report): CfnTemplate {
  if (site.hosting.type !== 'aws' || site.device.type !== 'rras') throw new Error('not an AWS-hosted RRAS site');
  const hosting = site.hosting;
  const device = site.device;
  const base = baseNetwork(site, connections, topology, index);
  const { id, resources, parameters, conditions, gatewayIps, azurePrefixes, tags } = base;
  const bgpIps: string[] = [];
  for (const c of connections) {
    const gateway = index.vpnGateways.get(c.gateway)!.value;
    if (!(c.bgp && site.bgp && gateway.bgp)) continue;
    for (const t of connectionTunnels(c, index)) {
      const bgpName = gatewayInstanceParameter(c.gateway, t.instance, 'BgpIp');
      if (bgpIps.includes(bgpName)) continue;
      bgpIps.push(bgpName);
      parameters[bgpName] = { Type: 'String', Default: '', AllowedPattern: PARAMETER_PATTERNS.ipv4OrEmpty, Description: `BGP address of instance ${t.instance} of Azure VPN gateway ${c.gateway} (an output of the Azure deployment).` };
    }
  }
  parameters.WindowsAmi = { Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>', Default: WINDOWS_AMI.replace('{version}', device.windowsVersion), Description: 'Latest Windows Server base image, from the public SSM parameter.' };
  parameters.ScriptBucket = { Type: 'String', Default: '', AllowedPattern: PARAMETER_PATTERNS.bucketOrEmpty, Description: `S3 bucket holding the RRAS script generated for ${site.name} (rras/${site.name}/configure-rras.ps1).` };
  parameters.ScriptKey = { Type: 'String', Default: `rras/${site.name}/configure-rras.ps1`, AllowedPattern: PARAMETER_PATTERNS.objectKey, Description: 'S3 key of the RRAS script.' };

  // Azure prefixes (VNets and point-to-site pools) go to the RRAS network interface.
  for (const prefix of azurePrefixes) {
    resources[`${id}RouteToAzure${prefix.replace(/[./]/g, 'x')}`] = { Type: 'AWS::EC2::Route', Properties: { RouteTableId: ref(`${id}RouteTable`), DestinationCidrBlock: prefix, NetworkInterfaceId: ref(`${id}RrasInterface`) } };
  }

  resources[`${id}RrasSecurityGroup`] = {
    Type: 'AWS::EC2::SecurityGroup',
    Properties: {
      GroupDescription: `RRAS VPN server of ${site.name}: IKE, NAT-T and ESP from the Azure gateways, RDP from the admin range, traffic forwarded to and from Azure`,
      VpcId: ref(`${id}Vpc`),
      SecurityGroupIngress: [
        { IpProtocol: 'tcp', FromPort: 3389, ToPort: 3389, CidrIp: hosting.adminCidr, Description: 'RDP from the admin range only' },
        { IpProtocol: '-1', CidrIp: hosting.vpcCidr, Description: 'site traffic to be forwarded to Azure' },
        ...azurePrefixes.map((p) => ({ IpProtocol: '-1', CidrIp: p, Description: 'Azure traffic forwarded into the site' })),
      ],
      SecurityGroupEgress: [{ IpProtocol: '-1', CidrIp: '0.0.0.0/0', Description: 'tunnels, routing and updates' }],
      Tags: tags('rras-sg'),
    },
  };
  gatewayIps.forEach((param, i) => {
    for (const [proto, port, what] of [['udp', 500, 'IKE'], ['udp', 4500, 'NAT-T'], ['50', undefined, 'ESP']] as const) {
      resources[`${id}From${param}${what.replace('-', '')}`] = {
        Type: 'AWS::EC2::SecurityGroupIngress',
        Condition: 'AzureGatewaysKnown',
        Properties: { GroupId: { 'Fn::GetAtt': [`${id}RrasSecurityGroup`, 'GroupId'] }, IpProtocol: proto, ...(port ? { FromPort: port, ToPort: port } : {}), CidrIp: sub(`\${${param}}/32`), Description: `${what} from Azure gateway instance ${i}` },
      };
    }
  });

  resources[`${id}RrasInterface`] = { Type: 'AWS::EC2::NetworkInterface', Properties: { SubnetId: ref(`${id}Subnet`), PrivateIpAddress: device.privateIp, GroupSet: [ref(`${id}RrasSecurityGroup`)], SourceDestCheck: false, Description: `RRAS server of ${site.name}`, Tags: tags('rras-eni') } };
  resources[`${id}ElasticIp`] = { Type: 'AWS::EC2::EIP', DependsOn: `${id}GatewayAttachment`, Properties: { Domain: 'vpc', Tags: tags('rras-eip') } };
  resources[`${id}ElasticIpAssociation`] = { Type: 'AWS::EC2::EIPAssociation', Properties: { AllocationId: { 'Fn::GetAtt': [`${id}ElasticIp`, 'AllocationId'] }, NetworkInterfaceId: ref(`${id}RrasInterface`) } };

  // The instance role reads exactly the keys and the script, nothing else.
  const statements: CfnValue[] = [{ Effect: 'Allow', Action: 's3:GetObject', Resource: sub('arn:${AWS::Partition}:s3:::${ScriptBucket}/${ScriptKey}') }];
  for (const c of connections) statements.push(...secretStatements(c.sharedKey));
  resources[`${id}RrasRole`] = {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      ManagedPolicyArns: [sub('arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore')],
      Policies: [{ PolicyName: 'read-rras-script-and-keys', PolicyDocument: { Version: '2012-10-17', Statement: statements } }],
    },
  };
  resources[`${id}RrasInstanceProfile`] = { Type: 'AWS::IAM::InstanceProfile', Properties: { Roles: [ref(`${id}RrasRole`)] } };

  const scriptParameters = [...gatewayIps, ...bgpIps];
  const userData = [
    '<powershell>',
    "$ErrorActionPreference = 'Stop'",
    ...stackValues(['ScriptBucket', 'ScriptKey', ...scriptParameters]),
    "New-Item -ItemType Directory -Force -Path 'C:\\hybridnet' | Out-Null",
    "Read-S3Object -BucketName $stack.ScriptBucket -Key $stack.ScriptKey -File 'C:\\hybridnet\\configure-rras.ps1' | Out-Null",
    `$arguments = @{ ${scriptParameters.map((p) => `${p} = $stack.${p}`).join('; ')} }`,
    "& 'C:\\hybridnet\\configure-rras.ps1' @arguments *>> 'C:\\hybridnet\\configure-rras.log'",
    // 3010: Remote Access was installed and needs a restart. EC2Launch v2 restarts the instance on
    // that exit code and, with persist, runs this again, which finishes the configuration
    // (docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2launch-v2-settings.html, exit codes and reboots).
    'exit $LASTEXITCODE',
    '</powershell>',
    '<persist>true</persist>',
    '',
  ].join('\n');
  resources[`${id}RrasInstance`] = {
    Type: 'AWS::EC2::Instance',
    Condition: 'AzureGatewaysKnown',
    DependsOn: `${id}ElasticIpAssociation`,
    Properties: {
      ImageId: ref('WindowsAmi'),
      InstanceType: hosting.instanceType,
      IamInstanceProfile: ref(`${id}RrasInstanceProfile`),
      KeyName: keyName,
      NetworkInterfaces: [{ NetworkInterfaceId: ref(`${id}RrasInterface`), DeviceIndex: '0' }],
      UserData: { 'Fn::Base64': sub(userData) },
      Tags: tags('rras'),
    },
  };

  base.outputs.ElasticIp = { Description: `Public IP of the RRAS server of ${site.name}: the address of the Azure local network gateway for this site.`, Value: ref(`${id}ElasticIp`) };
  base.outputs.RrasInstanceId = { Description: 'Instance id of the RRAS server.', Condition: 'AzureGatewaysKnown', Value: ref(`${id}RrasInstance`) };
  return finish(site, base, topology, report, `Windows Server RRAS as its VPN device toward Azure`, 'Deploy once with the Azure gateway IP parameters empty and take the ElasticIp output for the Azure deployment; then update the stack with the gateway IPs from the Azure outputs and ScriptBucket holding the rras script.');
}

/** Test endpoints that live in the site, then the template. */
function finish(site: Site, base: Base, topology: Topology, report: Report, device: string, deploy: string): CfnTemplate {
  if (site.hosting.type !== 'aws') throw new Error('not an AWS-hosted site');
  const hosting = site.hosting;
  const { id, resources, parameters, conditions, outputs, azurePrefixes, tags } = base;
  const testStatements: CfnValue[] = [];
  for (const endpoint of topology.testEndpoints.filter((t) => 'site' in t.attach && t.attach.site === site.name)) {
    const eid = pascalName(endpoint.name);
    const fetch = secretReader(endpoint.adminPassword, hosting.region, endpoint.os);
    if (!fetch) report('hybridnet/gen-cloudformation/secret-not-readable-in-aws', ['testEndpoints', topology.testEndpoints.indexOf(endpoint), 'adminPassword'], `test endpoint "${endpoint.name}" runs in AWS and cannot read its password at boot from ${Object.keys(endpoint.adminPassword)[0]}`, 'store the password in AWS Secrets Manager or SSM Parameter Store and reference it there');
    testStatements.push(...secretStatements(endpoint.adminPassword));
    if (!parameters.WindowsAmi && endpoint.os === 'windows') parameters.WindowsAmi = { Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>', Default: WINDOWS_AMI.replace('{version}', '2022'), Description: 'Latest Windows Server base image, for test endpoints.' };
    if (!parameters.LinuxAmi && endpoint.os === 'linux') parameters.LinuxAmi = { Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>', Default: LINUX_AMI, Description: 'Latest Amazon Linux image, for test endpoints.' };
    resources[`${eid}SecurityGroup`] = {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupDescription: `Test endpoint ${endpoint.name}: reachable from the site and from Azure`,
        VpcId: ref(`${id}Vpc`),
        SecurityGroupIngress: [{ IpProtocol: '-1', CidrIp: hosting.vpcCidr, Description: 'the site' }, ...azurePrefixes.map((p) => ({ IpProtocol: '-1', CidrIp: p, Description: 'Azure' }))],
        SecurityGroupEgress: [{ IpProtocol: '-1', CidrIp: '0.0.0.0/0', Description: 'replies and updates' }],
        Tags: tags(`${endpoint.name}-sg`),
      },
    };
    resources[`${eid}Instance`] = {
      Type: 'AWS::EC2::Instance',
      Properties: {
        ImageId: ref(endpoint.os === 'linux' ? 'LinuxAmi' : 'WindowsAmi'),
        InstanceType: endpoint.size ?? (endpoint.os === 'linux' ? 't3.micro' : 't3.small'),
        // A public address of its own (ingress stays the site's and Azure's): the way out to Secrets
        // Manager for its password at boot and to Systems Manager for Session Manager, which reach the
        // instance through the Internet gateway (the subnet has no NAT and no VPC endpoints).
        NetworkInterfaces: [{ DeviceIndex: '0', SubnetId: ref(`${id}Subnet`), ...(endpoint.privateIp ? { PrivateIpAddress: endpoint.privateIp } : {}), GroupSet: [ref(`${eid}SecurityGroup`)], AssociatePublicIpAddress: true, DeleteOnTermination: true }],
        IamInstanceProfile: ref(`${id}TestInstanceProfile`),
        KeyName: keyName,
        ...(fetch ? { UserData: { 'Fn::Base64': endpointUserData(endpoint.os, fetch) } } : {}),
        Tags: tags(endpoint.name),
      },
    };
    outputs[`${eid}PrivateIp`] = { Description: `Private IP of test endpoint ${endpoint.name}.`, Value: { 'Fn::GetAtt': [`${eid}Instance`, 'PrivateIp'] } };
  }
  if (Object.keys(resources).some((k) => k.endsWith('Instance') && k !== `${id}RrasInstance`)) {
    resources[`${id}TestRole`] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
        ManagedPolicyArns: [sub('arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore')],
        ...(testStatements.length > 0 ? { Policies: [{ PolicyName: 'read-test-passwords', PolicyDocument: { Version: '2012-10-17', Statement: testStatements } }] } : {}),
      },
    };
    resources[`${id}TestInstanceProfile`] = { Type: 'AWS::IAM::InstanceProfile', Properties: { Roles: [ref(`${id}TestRole`)] } };
  }

  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `hybridnet: on-premises site ${site.name} simulated in AWS (${hosting.region}), ${device}.`,
    Metadata: { 'hybridnet:deploy': deploy },
    Parameters: parameters,
    Conditions: conditions,
    Resources: resources,
    Outputs: outputs,
  };
}

/**
 * The AWS-native alternative: a virtual private gateway, and per Azure gateway instance a
 * customer gateway and a VPN connection (two AWS tunnels to that instance). With BGP each AWS
 * tunnel's inside /30 holds one of the instance's custom APIPA addresses as its second host
 * (AWS takes the first); without BGP each connection carries static routes to the Azure
 * prefixes. The key reaches AWS only as a Secrets Manager dynamic reference, resolved by
 * CloudFormation and never stored in the template.
 * Shapes and constraints: ../shared/reference/generators.md §4.2, azure-rules.md §1.6.
 */
function checkNative(c: SiteToSiteConnection, i: number, index: TopologyIndex, report: (code: CfnCode, path: Diagnostic['path'], message: string, hint: string) => void): void {
  if (!('awsSecretsManager' in c.sharedKey)) {
    report('hybridnet/gen-cloudformation/secret-not-readable-in-aws', ['connections', i, 'sharedKey'], `the AWS VPN connection of "${c.name}" takes its key by dynamic reference, which needs AWS Secrets Manager`, 'store the key in AWS Secrets Manager and reference it with awsSecretsManager');
  }
  if (!c.bgp) return;
  const gateway = index.vpnGateways.get(c.gateway)!.value;
  for (const t of connectionTunnels(c, index)) {
    const apipa = gateway.bgp?.instances?.[t.instance]?.apipa ?? [];
    const usable = apipa.filter((a) => Number(a.split('.')[3]) % 4 === 2);
    if (usable.length < 2) {
      report('hybridnet/gen-cloudformation/aws-bgp-needs-apipa', ['connections', i], `BGP with an AWS virtual private gateway needs two custom APIPA addresses on instance ${t.instance} of "${c.gateway}", each the second address of a /30 (such as 169.254.21.2 and 169.254.22.2); it has ${apipa.length > 0 ? apipa.join(', ') : 'none'}`, 'add bgp.instances[].apipa with two such addresses per instance (AWS takes the first address of each /30)');
    }
  }
}

function nativeTemplate(site: Site, connections: SiteToSiteConnection[], topology: Topology, index: TopologyIndex, report: Report): CfnTemplate {
  const base = baseNetwork(site, connections, topology, index);
  const { id, resources, outputs, azurePrefixes, tags } = base;
  resources[`${id}VpnGateway`] = { Type: 'AWS::EC2::VPNGateway', Properties: { Type: 'ipsec.1', ...(site.bgp ? { AmazonSideAsn: site.bgp.asn } : {}), Tags: tags('vgw') } };
  resources[`${id}VpnGatewayAttachment`] = { Type: 'AWS::EC2::VPCGatewayAttachment', Properties: { VpcId: ref(`${id}Vpc`), VpnGatewayId: ref(`${id}VpnGateway`) } };
  resources[`${id}RoutePropagation`] = { Type: 'AWS::EC2::VPNGatewayRoutePropagation', DependsOn: `${id}VpnGatewayAttachment`, Properties: { RouteTableIds: [ref(`${id}RouteTable`)], VpnGatewayId: ref(`${id}VpnGateway`) } };
  for (const c of connections) {
    const gateway = index.vpnGateways.get(c.gateway)!.value;
    const secret = 'awsSecretsManager' in c.sharedKey ? c.sharedKey.awsSecretsManager : undefined;
    const key = `{{resolve:secretsmanager:${secret?.secretId}:SecretString${secret?.jsonKey ? `:${secret.jsonKey}` : ''}}}`;
    for (const t of connectionTunnels(c, index)) {
      const cid = `${pascalName(c.name)}Instance${t.instance}`;
      const apipa = (gateway.bgp?.instances?.[t.instance]?.apipa ?? []).filter((a) => Number(a.split('.')[3]) % 4 === 2);
      resources[`${cid}CustomerGateway`] = {
        Type: 'AWS::EC2::CustomerGateway',
        Condition: 'AzureGatewaysKnown',
        Properties: { Type: 'ipsec.1', IpAddress: ref(gatewayInstanceParameter(c.gateway, t.instance, 'PublicIp')), BgpAsn: gateway.bgp?.asn ?? 65515, Tags: tags(`${c.gateway}-${t.instance}`) },
      };
      resources[`${cid}VpnConnection`] = {
        Type: 'AWS::EC2::VPNConnection',
        Condition: 'AzureGatewaysKnown',
        Properties: {
          Type: 'ipsec.1',
          CustomerGatewayId: ref(`${cid}CustomerGateway`),
          VpnGatewayId: ref(`${id}VpnGateway`),
          StaticRoutesOnly: !c.bgp,
          VpnTunnelOptionsSpecifications: [0, 1].map((n) => ({ PreSharedKey: key, ...(c.bgp ? { TunnelInsideCidr: insideCidr(apipa[n]!) } : {}) })),
          Tags: tags(`${c.name}-${t.instance}`),
        },
      };
      if (!c.bgp) {
        for (const prefix of azurePrefixes) {
          resources[`${cid}Route${prefix.replace(/[./]/g, 'x')}`] = { Type: 'AWS::EC2::VPNConnectionRoute', Condition: 'AzureGatewaysKnown', Properties: { DestinationCidrBlock: prefix, VpnConnectionId: ref(`${cid}VpnConnection`) } };
        }
      }
      outputs[`${cid}VpnConnectionId`] = {
        Description: `VPN connection to instance ${t.instance} of ${c.gateway}. Its two tunnel outside IPs (aws ec2 describe-vpn-connections) are the addresses of the Azure local network gateways for this site.`,
        Condition: 'AzureGatewaysKnown',
        Value: ref(`${cid}VpnConnection`),
      };
    }
  }
  outputs.VpnGatewayId = { Description: 'The virtual private gateway of the site.', Value: ref(`${id}VpnGateway`) };
  return finish(site, base, topology, report, 'an AWS virtual private gateway as its VPN device toward Azure', 'Deploy once with the Azure gateway IP parameters empty; after the Azure deployment, update the stack with the gateway IPs from its outputs, then give Azure the tunnel outside IPs of each VPN connection.');
}

/** The AWS tunnel inside /30 whose second address is Azure's APIPA address. */
function insideCidr(azureApipa: string): string {
  const octets = azureApipa.split('.').map(Number);
  return `${octets[0]}.${octets[1]}.${octets[2]}.${octets[3]! - 2}/30`;
}

type Report = (code: CfnCode, path: Diagnostic['path'], message: string, hint: string) => void;

/** The command that reads a secret on the instance through its role (PowerShell on Windows, the AWS CLI on Linux), or undefined when AWS cannot read it. */
function secretReader(secret: SecretRef, region: string, os: 'windows' | 'linux'): string | undefined {
  if ('awsSecretsManager' in secret) {
    const { secretId, jsonKey } = secret.awsSecretsManager;
    if (os === 'windows') return `(Get-SECSecretValue -SecretId ${psString(secretId)} -Region ${psString(region)}).SecretString${jsonKey ? ` | ConvertFrom-Json | Select-Object -ExpandProperty ${psString(jsonKey)}` : ''}`;
    return `aws secretsmanager get-secret-value --region ${shString(region)} --secret-id ${shString(secretId)} --query SecretString --output text${jsonKey ? ` | python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' ${shString(jsonKey)}` : ''}`;
  }
  if ('ssmParameter' in secret) {
    if (os === 'windows') return `(Get-SSMParameter -Name ${psString(secret.ssmParameter.name)} -WithDecryption $true -Region ${psString(region)}).Value`;
    return `aws ssm get-parameter --region ${shString(region)} --name ${shString(secret.ssmParameter.name)} --with-decryption --query Parameter.Value --output text`;
  }
  return undefined;
}

/**
 * A test endpoint's first boot: its administrator password from the referenced secret (read
 * through the instance role, never in the template), and, on Windows, inbound ICMPv4 echo
 * requests allowed, which Windows blocks by default and VERIFY's ping needs. The text goes
 * through Fn::Sub untouched: it holds no `${`.
 */
function endpointUserData(os: 'windows' | 'linux', fetch: string): string {
  if (os === 'windows') {
    return [
      '<powershell>',
      "$ErrorActionPreference = 'Stop'",
      "if (-not (Get-NetFirewallRule -Name 'hybridnet-icmp4-in' -ErrorAction SilentlyContinue)) {",
      "  New-NetFirewallRule -Name 'hybridnet-icmp4-in' -DisplayName 'hybridnet: ICMPv4 echo request in' -Direction Inbound -Protocol ICMPv4 -IcmpType 8 -Action Allow | Out-Null",
      '}',
      `$password = ${fetch}`,
      "Set-LocalUser -Name 'Administrator' -Password (ConvertTo-SecureString -String $password -AsPlainText -Force)",
      '</powershell>',
      '',
    ].join('\n');
  }
  return ['#!/bin/bash', 'set -euo pipefail', `password="$(${fetch})"`, "printf 'ec2-user:%s\\n' \"$password\" | chpasswd", ''].join('\n');
}

function secretStatements(ref: SecretRef): CfnValue[] {
  if ('awsSecretsManager' in ref) {
    const id = ref.awsSecretsManager.secretId;
    const resource = id.startsWith('arn:') ? id : sub(`arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:${id}-*`);
    return [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: resource }];
  }
  if ('ssmParameter' in ref) {
    const name = ref.ssmParameter.name.replace(/^\//, '');
    return [{ Effect: 'Allow', Action: 'ssm:GetParameter', Resource: sub(`arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter/${name}`) }];
  }
  return [];
}
