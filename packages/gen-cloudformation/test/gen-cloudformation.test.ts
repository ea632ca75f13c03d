import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatDiagnostic, parseTopology, type GenerateResult } from '@hybridnet/model';
import { validateTopology } from '@hybridnet/validate';
import { CFN_CODES, cloudFormationGenerator } from '@hybridnet/gen-cloudformation';
import { compareGolden } from '../../../tools/test-support/golden.ts';
import { checkTemplate } from './spec-check.ts';
import { DIAGNOSTIC_CASES, nativeBgp, nativeStatic, RRAS_DEVICE, webappText } from './cases.ts';

const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));

function generate(text: string): GenerateResult {
  const loaded = parseTopology(text, 'topology.yaml');
  if (!loaded.topology || !loaded.index) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
  const errors = validateTopology(loaded.topology, loaded.index).filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => `${d.code}: ${d.message}`).join('\n'));
  return cloudFormationGenerator.generate(loaded.topology, loaded.index, { expectedSiteRoutes: new Map() });
}
const template = (result: GenerateResult, site = 'onprem-aws') => JSON.parse(result.files.find((f) => f.path === `${site}/stack.json`)!.content);
type Resource = { Type: string; Properties: Record<string, unknown>; Condition?: string };
const resources = (t: { Resources: Record<string, Resource> }, type: string) => Object.entries(t.Resources).filter(([, r]) => r.Type === type);

describe('webapp-hybrid: the site simulated in AWS', () => {
  const result = generate(webappText());
  const t = template(result);

  it('matches the golden templates', () => {
    expect(result.diagnostics).toEqual([]);
    expect(compareGolden(fileURLToPath(new URL('./scenarios/webapp-hybrid/expected', import.meta.url)), result.files)).toEqual([]);
  });

  it("is valid against AWS's resource specification", () => {
    expect(checkTemplate(t)).toEqual([]);
  });

  it('says the same in YAML as in JSON', () => {
    expect(parse(result.files.find((f) => f.path.endsWith('.yaml'))!.content)).toEqual(t);
  });

  it('routes every Azure prefix, point-to-site pool included, to the RRAS network interface', () => {
    const routes = resources(t, 'AWS::EC2::Route').map(([, r]) => r.Properties);
    expect(routes.filter((r) => r.NetworkInterfaceId).map((r) => r.DestinationCidrBlock).sort()).toEqual(['10.10.0.0/16', '172.16.201.0/24']);
    expect(routes.find((r) => r.DestinationCidrBlock === '0.0.0.0/0')).toMatchObject({ GatewayId: { Ref: 'OnpremAwsInternetGateway' } });
    const eni = resources(t, 'AWS::EC2::NetworkInterface')[0]![1].Properties;
    expect(eni).toMatchObject({ PrivateIpAddress: '10.20.1.10', SourceDestCheck: false });
  });

  it('opens IKE, NAT-T and ESP only to the Azure gateway, and RDP only to the admin range', () => {
    const ingress = resources(t, 'AWS::EC2::SecurityGroupIngress').map(([, r]) => r.Properties);
    expect(ingress.map((r) => `${r.IpProtocol}:${r.FromPort ?? ''}`).sort()).toEqual(['50:', 'udp:4500', 'udp:500']);
    for (const r of ingress) expect(r.CidrIp).toEqual({ 'Fn::Sub': '${VgwWebappInstance0PublicIp}/32' });
    const rules = resources(t, 'AWS::EC2::SecurityGroup').flatMap(([, r]) => r.Properties.SecurityGroupIngress as Record<string, unknown>[]);
    for (const rule of [...rules, ...ingress]) {
      const open = rule.CidrIp === '0.0.0.0/0' || rule.CidrIpv6 === '::/0';
      const remoteAdmin = rule.IpProtocol === '-1' || [22, 3389].some((p) => Number(rule.FromPort) <= p && p <= Number(rule.ToPort));
      expect(open && remoteAdmin, JSON.stringify(rule)).toBe(false);
    }
    expect(rules.find((r) => r.FromPort === 3389)).toMatchObject({ CidrIp: '198.51.100.7/32' });
  });

  it('never carries the key: the instance reads it through a role scoped to that one secret', () => {
    const text = result.files.map((f) => f.content).join('\n');
    expect(text).not.toMatch(/PreSharedKey|SharedKey|NoEcho/);
    const role = resources(t, 'AWS::IAM::Role').find(([id]) => id === 'OnpremAwsRrasRole')![1];
    const statements = (role.Properties.Policies as { PolicyDocument: { Statement: { Action: string; Resource: unknown }[] } }[])[0]!.PolicyDocument.Statement;
    expect(statements.map((s) => s.Action).sort()).toEqual(['s3:GetObject', 'secretsmanager:GetSecretValue']);
    expect(statements.find((s) => s.Action === 'secretsmanager:GetSecretValue')!.Resource).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:hybridnet/webapp-hybrid/aws-psk-*' });
  });

  it('runs the RRAS script from S3 with its arguments splatted, and again after a restart', () => {
    const userData = (resources(t, 'AWS::EC2::Instance').find(([id]) => id === 'OnpremAwsRrasInstance')![1].Properties.UserData as { 'Fn::Base64': { 'Fn::Sub': string } })['Fn::Base64']['Fn::Sub'];
    expect(userData.split('\n')).toContain("& 'C:\\hybridnet\\configure-rras.ps1' @arguments *>> 'C:\\hybridnet\\configure-rras.log'");
    expect(userData).toContain('<persist>true</persist>');
  });

  it('passes every stack parameter to the script as data: each free String has an AllowedPattern, and is named only inside the literal here-string', () => {
    for (const [name, p] of Object.entries(t.Parameters as Record<string, { Type: string; AllowedPattern?: string }>)) {
      if (p.Type === 'String') expect(p.AllowedPattern, name).toBeTruthy();
    }
    const userData = (t.Resources.OnpremAwsRrasInstance.Properties.UserData as { 'Fn::Base64': { 'Fn::Sub': string } })['Fn::Base64']['Fn::Sub'];
    const lines = userData.split('\n');
    const open = lines.indexOf("$stack = @'");
    expect(lines[open + 2]).toBe("'@ | ConvertFrom-Json");
    // Every substitution sits in the JSON line between the here-string's delimiters, as a JSON string.
    lines.forEach((line, i) => {
      if (i !== open + 1) expect(line, `line ${i + 1}`).not.toMatch(/\$\{(?!AWS::)/);
    });
    expect(lines[open + 1]).toMatch(/^\{("[A-Za-z0-9]+":"\$\{[A-Za-z0-9]+\}",?)+\}$/);
    expect(lines[open + 1]).toContain('"ScriptKey":"${ScriptKey}"');
  });

  it.each(["rras/x'; Start-Process calc; '", 'rras/x"; calc', "rras/x\n'@\nStart-Process calc", 'rras/$(calc)', 'rras/`calc`', 'rras\\x', 'rras/${AWS::Region}'])('refuses the hostile value %j for every script parameter', (value) => {
    for (const [name, p] of Object.entries(t.Parameters as Record<string, { Type: string; AllowedPattern?: string }>)) {
      if (p.Type === 'String') expect(new RegExp(p.AllowedPattern!).test(value), name).toBe(false);
    }
  });

  it('accepts the values a user gives: the default key, a bucket, gateway addresses, a key pair', () => {
    const pattern = (name: string) => new RegExp((t.Parameters as Record<string, { AllowedPattern: string }>)[name]!.AllowedPattern);
    expect(pattern('ScriptKey').test('rras/onprem-aws/configure-rras.ps1')).toBe(true);
    expect(pattern('ScriptBucket').test('my-bucket.example-1')).toBe(true);
    expect(pattern('VgwWebappInstance0PublicIp').test('20.61.7.12')).toBe(true);
    expect(pattern('VgwWebappInstance0PublicIp').test('')).toBe(true);
    expect(pattern('KeyName').test('lab key-2026')).toBe(true);
  });

  it('passes Remote Access\'s restart request (exit code 3010) on to EC2Launch, and runs again after it', () => {
    const userData = (t.Resources.OnpremAwsRrasInstance.Properties.UserData as { 'Fn::Base64': { 'Fn::Sub': string } })['Fn::Base64']['Fn::Sub'];
    expect(userData).toMatch(/configure-rras\.log'\n(?:#.*\n)*exit \$LASTEXITCODE\n<\/powershell>\n<persist>true<\/persist>/);
  });

  it('makes the instances administrable: an optional key pair, the test endpoint\'s password from its secret, and ping answered', () => {
    expect(t.Parameters.KeyName).toMatchObject({ Type: 'String', Default: '' });
    for (const [id, r] of resources(t, 'AWS::EC2::Instance')) expect(r.Properties.KeyName, id).toEqual({ 'Fn::If': ['HasKeyName', { Ref: 'KeyName' }, { Ref: 'AWS::NoValue' }] });
    const endpoint = t.Resources.Ec2OnpremAwsInstance.Properties.UserData['Fn::Base64'] as string;
    expect(endpoint).toContain("New-NetFirewallRule -Name 'hybridnet-icmp4-in'");
    expect(endpoint).toContain('-Protocol ICMPv4 -IcmpType 8 -Action Allow');
    expect(endpoint).toContain("$password = (Get-SECSecretValue -SecretId 'hybridnet/webapp-hybrid/test-vm-password' -Region 'eu-west-1').SecretString");
    expect(endpoint).toContain("Set-LocalUser -Name 'Administrator' -Password (ConvertTo-SecureString -String $password -AsPlainText -Force)");
    const role = t.Resources.OnpremAwsTestRole.Properties as { Policies: { PolicyDocument: { Statement: { Action: string; Resource: unknown }[] } }[] };
    expect(role.Policies[0]!.PolicyDocument.Statement).toEqual([{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:hybridnet/webapp-hybrid/test-vm-password-*' } }]);
  });

  it('gives each test machine a way out, so it reads its password at boot and Session Manager reaches it: a public address behind its scoped group, the subnet routing 0.0.0.0/0 to the Internet gateway', () => {
    const nic = (t.Resources.Ec2OnpremAwsInstance.Properties.NetworkInterfaces as Record<string, unknown>[])[0]!;
    expect(nic).toMatchObject({ DeviceIndex: '0', SubnetId: { Ref: 'OnpremAwsSubnet' }, PrivateIpAddress: '10.20.1.20', AssociatePublicIpAddress: true, GroupSet: [{ Ref: 'Ec2OnpremAwsSecurityGroup' }] });
    expect(t.Resources.OnpremAwsDefaultRoute.Properties).toMatchObject({ DestinationCidrBlock: '0.0.0.0/0', GatewayId: { Ref: 'OnpremAwsInternetGateway' } });
    // Reachable only from the site and Azure, whatever its public address.
    const ingress = t.Resources.Ec2OnpremAwsSecurityGroup.Properties.SecurityGroupIngress as { CidrIp: string }[];
    expect(ingress.map((r) => r.CidrIp).sort()).toEqual(['10.10.0.0/16', '10.20.0.0/16', '172.16.201.0/24']);
    expect(t.Resources.OnpremAwsTestRole.Properties.ManagedPolicyArns).toEqual([{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore' }]);
  });

  it('refuses a test endpoint password that an instance cannot read at boot', () => {
    const text = webappText().replace('      awsSecretsManager: {secretId: hybridnet/webapp-hybrid/test-vm-password}', '      env: TEST_PW');
    const loaded = parseTopology(text, 'topology.yaml');
    const result = cloudFormationGenerator.generate(loaded.topology!, loaded.index!, { expectedSiteRoutes: new Map() });
    expect(result.diagnostics.map((d) => `${d.code} ${d.path.join('.')}`)).toContain('hybridnet/gen-cloudformation/secret-not-readable-in-aws testEndpoints.2.adminPassword');
  });

  it('outputs the Elastic IP for the Azure local network gateway, and never a secret', () => {
    expect(t.Outputs.ElasticIp.Value).toEqual({ Ref: 'OnpremAwsElasticIp' });
    expect(Object.keys(t.Outputs).sort()).toEqual(['Ec2OnpremAwsPrivateIp', 'ElasticIp', 'RrasInstanceId']);
  });

  it('never contains a secret given through the environment', () => {
    process.env.WEBAPP_PSK_PLAIN = 'Zq8-cfn-secret-31337';
    try {
      expect(generate(webappText()).files.some((f) => f.content.includes('Zq8-cfn-secret-31337'))).toBe(false);
    } finally {
      delete process.env.WEBAPP_PSK_PLAIN;
    }
  });
});


describe('the AWS-native alternative', () => {
  it('static: a virtual private gateway, one customer gateway and VPN connection with static routes to Azure', () => {
    const t = template(generate(nativeStatic()));
    expect(checkTemplate(t)).toEqual([]);
    expect(resources(t, 'AWS::EC2::Instance').map(([id]) => id)).toEqual(['Ec2OnpremAwsInstance']);
    expect(resources(t, 'AWS::EC2::CustomerGateway').map(([, r]) => r.Properties.IpAddress)).toEqual([{ Ref: 'VgwWebappInstance0PublicIp' }]);
    const vpn = resources(t, 'AWS::EC2::VPNConnection')[0]![1];
    expect(vpn).toMatchObject({ Condition: 'AzureGatewaysKnown', Properties: { StaticRoutesOnly: true, VpnTunnelOptionsSpecifications: [{ PreSharedKey: '{{resolve:secretsmanager:hybridnet/webapp-hybrid/aws-psk:SecretString}}' }, { PreSharedKey: '{{resolve:secretsmanager:hybridnet/webapp-hybrid/aws-psk:SecretString}}' }] } });
    expect(resources(t, 'AWS::EC2::VPNConnectionRoute').map(([, r]) => r.Properties.DestinationCidrBlock).sort()).toEqual(['10.10.0.0/16', '172.16.201.0/24']);
    expect(resources(t, 'AWS::EC2::VPNGatewayRoutePropagation')).toHaveLength(1);
  });

  it('BGP: one VPN connection per active-active instance, inside /30s holding the Azure APIPA addresses as second host', () => {
    const result = generate(nativeBgp());
    const t = template(result, 'aws-vpc');
    expect(checkTemplate(t)).toEqual([]);
    const vpns = resources(t, 'AWS::EC2::VPNConnection').map(([, r]) => r.Properties as { StaticRoutesOnly: boolean; VpnTunnelOptionsSpecifications: { TunnelInsideCidr: string; PreSharedKey: string }[] });
    expect(vpns.map((v) => v.VpnTunnelOptionsSpecifications.map((o) => o.TunnelInsideCidr))).toEqual([['169.254.21.0/30', '169.254.22.0/30'], ['169.254.21.4/30', '169.254.22.4/30']]);
    expect(vpns.every((v) => !v.StaticRoutesOnly)).toBe(true);
    expect(vpns[0]!.VpnTunnelOptionsSpecifications[0]!.PreSharedKey).toBe('{{resolve:secretsmanager:net/aws-psk:SecretString:psk}}');
    expect(resources(t, 'AWS::EC2::CustomerGateway').map(([, r]) => r.Properties.BgpAsn)).toEqual([65515, 65515]);
    expect(resources(t, 'AWS::EC2::VPNGateway')[0]![1].Properties.AmazonSideAsn).toBe(64512);
    expect(resources(t, 'AWS::EC2::VPNConnectionRoute')).toEqual([]);
  });
});

describe('the spec checker itself', () => {
  it('catches unknown types and properties, wrong types, missing required properties and dangling references', () => {
    const problems = checkTemplate({
      Conditions: {},
      Resources: {
        A: { Type: 'AWS::EC2::Nope', Properties: {} },
        B: { Type: 'AWS::EC2::VPC', Properties: { CidrBlok: '10.0.0.0/16', EnableDnsSupport: 'yes' } },
        C: { Type: 'AWS::EC2::Subnet', Properties: { CidrBlock: '10.0.0.0/24' } },
        D: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: { Ref: 'Missing' }, DestinationCidrBlock: '0.0.0.0/0', GatewayId: { 'Fn::GetAtt': ['B', 'NoSuchAttribute'] } } },
      },
    });
    expect(problems).toEqual([
      'A: unknown resource type AWS::EC2::Nope',
      'B: unknown property "CidrBlok"',
      'B.EnableDnsSupport: expected a boolean, found "yes"',
      'C: missing required property "VpcId"',
      'D.RouteTableId: reference to undefined "Missing"',
      'D.GatewayId: AWS::EC2::VPC has no attribute "NoSuchAttribute"',
    ]);
  });
});

describe('diagnostics', () => {
  const cases = DIAGNOSTIC_CASES;
  it.each(cases)('$code', ({ code, text }) => {
    const result = generate(text());
    expect(result.diagnostics.map((d) => d.code)).toContain(code);
    expect(result.files).toEqual([]);
  });
  it('has a case for every code', () => {
    expect(Object.keys(CFN_CODES).filter((code) => !cases.some((c) => c.code === code))).toEqual([]);
  });
});

describe('every valid topology yields spec-valid templates', () => {
  it('holds for random AWS-hosted sites', () => {
    fc.assert(
      fc.property(
        fc.record({ sites: fc.integer({ min: 1, max: 3 }), activeActive: fc.boolean(), bgp: fc.boolean(), ssm: fc.boolean(), endpoint: fc.constantFrom('none', 'linux', 'windows'), version: fc.constantFrom('2019', '2022', '2025'), native: fc.boolean() }),
        (s) => {
          const sites = Array.from({ length: s.sites }, (_, i) => `
  - name: aws-site-${i}
    lan: [10.${60 + i}.0.0/16]
    device: ${s.native ? '{ type: aws-vpn-gateway }' : `{ type: rras, publicIp: after-deploy, privateIp: 10.${60 + i}.1.10, windowsVersion: '${s.version}' }`}
${s.bgp ? `    bgp: { asn: ${65060 + i}, peerIp: ${s.native ? `169.254.21.${1 + 8 * i}` : `10.${60 + i}.1.10`}, advertise: [10.${60 + i}.0.0/16] }\n` : ''}    hosting: { type: aws, region: us-east-2, vpcCidr: 10.${60 + i}.0.0/16, subnetCidr: 10.${60 + i}.1.0/24, instanceType: m5.large, adminCidr: 192.0.2.0/28 }`).join('');
          const connections = Array.from({ length: s.sites }, (_, i) => `
  - { name: hub-to-${i}, type: site-to-site, gateway: vgw-hub, site: aws-site-${i}, bgp: ${s.bgp}, sharedKey: ${s.ssm && !s.native ? `{ ssmParameter: { name: /psk/${i} } }` : `{ awsSecretsManager: { secretId: psk-${i} } }`} }`).join('');
          const endpoints = s.endpoint === 'none' ? '' : `\ntestEndpoints:\n  - { name: probe, attach: { site: aws-site-0 }, privateIp: 10.60.1.20, os: ${s.endpoint}, adminPassword: { ssmParameter: { name: /probe } } }`;
          const text = `hybridnet: 1
name: random
azure:
  location: westeurope
  resourceGroups: { network: rg-random }
  vnets:
    - name: vnet-hub
      addressSpace: [10.0.0.0/16]
      subnets: [{ name: GatewaySubnet, prefix: 10.0.255.0/27 }]
      vpnGateway: { name: vgw-hub, sku: VpnGw2AZ, activeActive: ${s.activeActive}${s.bgp ? `, bgp: { asn: 65515${s.native ? `, instances: [{ apipa: [169.254.21.2, 169.254.22.2] }${s.activeActive ? ', { apipa: [169.254.21.6, 169.254.22.6] }' : ''}]` : ''} }` : ''} }
sites:${sites}
connections:${connections}${endpoints}
`;
          const result = generate(text);
          expect(result.files.filter((f) => f.path.endsWith('.json'))).toHaveLength(s.sites);
          for (let i = 0; i < s.sites; i++) expect(checkTemplate(template(result, `aws-site-${i}`))).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });
});
