/**
 * Network security groups in the data plane, on the webapp-hybrid example: where Azure evaluates
 * them (subnet and NIC, inbound and outbound, a firewall's NIC), first match by priority above
 * Azure's defaults, VirtualNetwork as the subnet's routes make it, stateful replies, and intents
 * on their own protocol and port.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseTopology } from '@hybridnet/model';
import { evaluateIntents, traceLine } from '@hybridnet/validate';
import { example, load, validate, withoutGroups, type Raw } from './helpers.ts';

const rule = (name: string, priority: number, direction: 'Inbound' | 'Outbound', more: Raw = {}): Raw => ({ name, priority, direction, access: 'Allow', source: ['*'], destination: ['*'], ...more });
const backend = (t: Raw) => t.azure.vnets[0].subnets.find((s: Raw) => s.name === 'backend');

/** The webapp-hybrid example without its security groups. */
const bare = (): Raw => withoutGroups(example('webapp-hybrid'));

/** webapp-hybrid with a group on the backend subnet (and more intents, each from the AWS site's test machine to vm-backend). */
function withGroup(rules: Raw[], intents: Raw[] = []): Raw {
  const t = bare();
  t.azure.networkSecurityGroups = [{ name: 'nsg-backend', rules }];
  backend(t).networkSecurityGroup = 'nsg-backend';
  t.intents.push(...intents.map((i) => ({ kind: 'reach', from: 'ec2-onprem-aws', to: ['vm-backend'], ...i })));
  return t;
}
const verdicts = (t: Raw) => Object.fromEntries(evaluateIntents(load(t).topology, load(t).index).map((r) => [r.intent.name, r.holds]));
const result = (t: Raw, name: string) => {
  const { topology, index } = load(t);
  return evaluateIntents(topology, index).find((r) => r.intent.name === name)!;
};

describe('network security groups in the data plane', () => {
  it('without rules of its own a group lets the VNet and its sites in (VirtualNetwork holds what the gateway teaches), and nothing from elsewhere', () => {
    const t = withGroup([], [{ name: 'https-from-aws', port: 443 }]);
    expect(verdicts(t)).toMatchObject({ 'backend-to-sites': true, 'https-from-aws': true, 'backend-to-partner-api': true });
    expect(traceLine(result(t, 'https-from-aws').flows[0]!.request)).toContain('rule "AllowVnetInBound" (priority 65000) allows it');
  });

  it('the first rule by priority decides, on its protocol and port; a denied intent names the group, rule and priority', () => {
    const t = withGroup([rule('allow-https-from-aws', 100, 'Inbound', { protocol: 'Tcp', source: ['onprem-aws'], destinationPorts: ['443'] }), rule('deny-sites', 200, 'Inbound', { access: 'Deny', source: ['onprem-aws', 'onprem-azure'] })], [
      { name: 'https-from-aws', port: 443 },
      { name: 'ssh-from-aws', port: 22 },
      { name: 'dns-from-aws', protocol: 'udp', port: 443 },
      { name: 'no-ssh-from-aws', kind: 'isolate', port: 22 },
    ]);
    expect(verdicts(t)).toMatchObject({ 'https-from-aws': true, 'ssh-from-aws': false, 'dns-from-aws': false, 'no-ssh-from-aws': true });
    const ssh = result(t, 'ssh-from-aws').flows[0]!;
    expect(ssh.why).toBe('it is dropped at subnet vnet-webapp/backend: network security group "nsg-backend" (subnet vnet-webapp/backend, inbound): rule "deny-sites" (priority 200) denies it');
    const d = validate(t).find((x) => x.code === 'hybridnet/validate/intent/unreachable' && x.message.includes('ssh-from-aws'))!;
    expect(d.message).toContain('rule "deny-sites" (priority 200)');
    expect(d.hint).toContain('lower');
  });

  it('is stateful: the replies of what the backend starts come back through a group that lets nothing in', () => {
    const t = withGroup([rule('deny-all-in', 100, 'Inbound', { access: 'Deny' })], [{ name: 'ssh-from-aws', port: 22 }]);
    expect(verdicts(t)).toMatchObject({ 'backend-to-sites': true, 'ssh-from-aws': false });
  });

  it('screens what leaves the subnet, before the route takes it to the firewall', () => {
    const t = withGroup([rule('no-partner-api', 100, 'Outbound', { access: 'Deny', destination: ['203.0.113.0/24'], destinationPorts: ['443'] })]);
    expect(result(t, 'backend-to-partner-api').flows[0]!.why).toContain('rule "no-partner-api" (priority 100) denies it');
  });

  it("a firewall's NIC is screened both ways, and a firewall rule passes only its services", () => {
    const t = bare();
    t.azure.networkSecurityGroups = [{ name: 'nsg-fw', rules: [rule('no-backend', 100, 'Inbound', { access: 'Deny', source: ['vnet-webapp/backend'] })] }];
    t.azure.firewalls[0].networkSecurityGroup = 'nsg-fw';
    t.intents.push({ name: 'api-over-ssh', kind: 'reach', from: 'vm-backend', to: ['EXTERNAL-API'], via: 'fw-webapp', port: 22 });
    expect(result(t, 'backend-to-partner-api').flows[0]!.why).toContain('network security group "nsg-fw" (the NIC of fw-webapp, inbound): rule "no-backend" (priority 100) denies it');
    delete t.azure.firewalls[0].networkSecurityGroup;
    expect(verdicts(t)).toMatchObject({ 'backend-to-partner-api': true, 'api-over-ssh': false });
    expect(result(t, 'api-over-ssh').flows[0]!.why).toContain('no rule of firewall "fw-webapp"');
  });

  it('an intent without a port is about the port verification probes: the target\'s listener', () => {
    // vm-backend runs Linux: SSH 22.
    const t = withGroup([rule('ssh-from-aws', 100, 'Inbound', { protocol: 'Tcp', source: ['onprem-aws'], destinationPorts: ['22'] }), rule('deny-aws', 200, 'Inbound', { access: 'Deny', source: ['onprem-aws'] })], [{ name: 'probe-from-aws' }, { name: 'https-from-aws', port: 443 }]);
    expect(verdicts(t)).toMatchObject({ 'probe-from-aws': true, 'https-from-aws': false });
  });
});

describe('names a group, a rule or a service gives are checked when the topology is linked', () => {
  const linked = (t: Raw) => parseTopology(stringify(t), 'case.yaml').diagnostics.map((d) => `${d.code} ${d.path.join('.')}: ${d.message}`);

  it('a group no one declared, an end that names nothing, a service whose ports are unknown', () => {
    const t = example('webapp-hybrid');
    backend(t).networkSecurityGroup = 'nsg-backnd';
    t.azure.networkSecurityGroups[1].rules[0].source = ['AZURE-NETWORKS', 'VirtualNetwrk'];
    t.azure.firewalls[0].rules[0].services = ['HTTPS-8443'];
    expect(linked(t)).toEqual([
      'hybridnet/model/unknown-reference azure.vnets.0.subnets.1.networkSecurityGroup: no network security group is named "nsg-backnd"',
      'hybridnet/model/unknown-reference azure.firewalls.0.rules.0.services.0: "HTTPS-8443" is not a service object hybridnet knows the ports of (Any, HTTP, HTTPS, SSH, RDP, DNS)',
      'hybridnet/model/unknown-reference azure.networkSecurityGroups.1.rules.0.source.1: "VirtualNetwrk" is no service tag (VirtualNetwork, Internet, AzureLoadBalancer, *), test endpoint, subnet (vnet/subnet), App Service, site, VNet or address group, and is not a prefix or address',
    ]);
  });
});
