/**
 * Failures: what the network is with elements down (each kind as Azure behaves), the names a user
 * writes for them, what each node learns differently, and intents that say what they survive.
 */
import { describe, expect, it } from 'vitest';
import { evaluateIntents, failureElements, resilience, resolveFailure, routeChanges, simulateRoutes, topologyWithFailures } from '@hybridnet/validate';
import { example, load, validate, type Raw } from './helpers.ts';


const holds = (t: ReturnType<typeof load>) => Object.fromEntries(evaluateIntents(t.topology, t.index).map((r) => [r.intent.name, r.holds]));
const down = (raw: Raw, ...elements: string[]) => {
  const t = load(raw);
  return topologyWithFailures(t.topology, t.index, elements);
};

describe('a failure as a topology', () => {
  const b2b = example('branch-to-branch');
  const tunnels = (t: ReturnType<typeof down>) => t.topology.connections.map((c) => (c.type === 'site-to-site' ? `${c.name}/${(c.tunnels ?? []).map((x) => x.instance).join('+') || 'all'}` : c.name));

  it('a tunnel, an instance of an active-active gateway, a connection and a circuit', () => {
    expect(tunnels(down(b2b, 'tunnel:hub-to-branch-rras/0'))).toEqual(['hub-to-branch-er', 'hub-to-branch-rras/1']);
    expect(tunnels(down(b2b, 'instance:vgw-hub/1'))).toEqual(['hub-to-branch-er', 'hub-to-branch-rras/0']);
    expect(tunnels(down(b2b, 'connection:hub-to-branch-rras'))).toEqual(['hub-to-branch-er']);
    expect(tunnels(down(b2b, 'circuit:hub-to-branch-er'))).toEqual(['hub-to-branch-rras/0+1']);
    // Both tunnels of a connection down: the connection is gone.
    expect(tunnels(down(b2b, 'tunnel:hub-to-branch-rras/0', 'tunnel:hub-to-branch-rras/1'))).toEqual(['hub-to-branch-er']);
  });

  it("an active-standby gateway's instance fails over to the standby: nothing changes", () => {
    const wh = example('webapp-hybrid');
    const t = load(wh);
    expect(down(wh, 'instance:vgw-webapp/0').topology).toEqual(t.topology);
  });

  it('a gateway takes its connections and its point-to-site pool with it; Route Server, a firewall and a site go as Azure would', () => {
    const wh = example('webapp-hybrid');
    const gw = down(wh, 'gateway:vgw-webapp');
    expect(gw.topology.connections.map((c) => c.name)).toEqual([]);
    expect(gw.topology.azure.vnets[0]!.vpnGateway!.pointToSite).toBeUndefined();
    expect(holds(gw)).toMatchObject({ 'app-to-sites': false, 'backend-to-sites': false, 'app-to-partner-api': false, 'backend-to-partner-api': true });

    const fw = down(wh, 'firewall:fw-webapp');
    expect(fw.topology.azure.firewalls[0]!.rules).toEqual([]);
    expect(holds(fw)).toEqual({ 'app-to-sites': true, 'backend-to-sites': true, 'app-to-partner-api': false, 'backend-to-partner-api': false, 'sites-to-backend-api': true });

    expect(down(wh, 'site:onprem-aws').topology.connections.map((c) => c.name)).toEqual(['webapp-to-onprem-azure']);
    expect(down(b2b, 'route-server:rs-hub').topology.azure.vnets.find((v) => v.name === 'vnet-hub')!.routeServer).toBeUndefined();
  });

  it('lists what can fail: instances only of active-active gateways, tunnels only of connections with more than one', () => {
    const t = load(b2b);
    expect(failureElements(t.topology, t.index)).toEqual([
      'connection:hub-to-branch-er',
      'connection:hub-to-branch-rras',
      'tunnel:hub-to-branch-rras/0',
      'tunnel:hub-to-branch-rras/1',
      'gateway:vgw-hub',
      'instance:vgw-hub/0',
      'instance:vgw-hub/1',
      'gateway:ergw-hub',
      'route-server:rs-hub',
      'site:branch-er',
      'site:branch-rras',
    ]);
  });
});

describe('the names a user writes', () => {
  const t = load(example('branch-to-branch'));
  it.each([
    ['hub-to-branch-rras', 'connection:hub-to-branch-rras'],
    ['hub-to-branch-rras/1', 'tunnel:hub-to-branch-rras/1'],
    ['vgw-hub/0', 'instance:vgw-hub/0'],
    ['vgw-hub', 'gateway:vgw-hub'],
    ['rs-hub', 'route-server:rs-hub'],
    ['branch-er', 'site:branch-er'],
    ['circuit:hub-to-branch-er', 'connection:hub-to-branch-er'],
  ])('%s is %s', (text, element) => {
    expect(resolveFailure(text, t.topology, t.index)).toEqual({ element });
  });

  it('an unknown name and an instance a gateway does not have are refused', () => {
    expect(resolveFailure('vgw-hubb', t.topology, t.index)).toEqual({ error: 'the topology has no element "vgw-hubb"' });
    expect(resolveFailure('instance:vgw-hub/2', t.topology, t.index)).toEqual({ error: 'the topology has no instance:vgw-hub/2' });
  });
});

describe('what each node learns differently', () => {
  it('without Route Server the VPN gateway, Route Server and the VPN branch lose the ExpressRoute branch', () => {
    const t = load(example('branch-to-branch'));
    const after = down(example('branch-to-branch'), 'route-server:rs-hub');
    const changes = routeChanges(simulateRoutes(t.topology, t.index), simulateRoutes(after.topology, after.index));
    expect(changes.filter((c) => c.kind !== 'route-server').map((c) => `${c.node} ${c.change} ${c.prefix}: ${c.before.join('|')} → ${c.after.join('|')}`)).toEqual([
      'vgw-hub lost 10.50.0.0/16: ExpressRoute gateway ergw-hub → ',
      'branch-rras lost 10.50.0.0/16: BGP hub-to-branch-rras (AS 65515) → ',
    ]);
  });

  it('nothing changes when nothing fails', () => {
    const t = load(example('webapp-hybrid'));
    expect(routeChanges(simulateRoutes(t.topology, t.index), simulateRoutes(t.topology, t.index))).toEqual([]);
  });
});

describe('intents that say what they survive', () => {
  it('branch-to-branch survives either gateway instance, as its example says, and not the VPN connection', () => {
    const raw = example('branch-to-branch');
    expect(validate(raw).filter((d) => d.severity === 'error')).toEqual([]);
    raw.intents[0].survives = [[`vgw-hub/0`], ['hub-to-branch-rras']];
    const d = validate(raw).filter((x) => x.code === 'hybridnet/validate/intent/not-resilient');
    expect(d).toHaveLength(1);
    expect(d[0]!.path).toEqual(['intents', 0, 'survives', 1]);
    expect(d[0]!.message).toMatch(/^intent "branch-to-branch" fails when connection hub-to-branch-rras is down: 10\.50\.0\.4 → 10\.60\.0\.4 \(branch-rras\): it is dropped at site branch-er: no route toward 10\.60\.0\.4$/);
  });

  it('any-single-failure tries every element on the path and names the first that breaks it', () => {
    const raw = example('webapp-hybrid');
    raw.intents[0].survives = 'any-single-failure';
    const t = load(raw);
    const row = resilience(t.topology, t.index)[0]!;
    expect(row.failures.map((f) => f.elements.join('+'))).toEqual(['connection:webapp-to-aws', 'connection:webapp-to-onprem-azure', 'gateway:vgw-webapp']);
    expect(row.failures.every((f) => !f.holds)).toBe(true);
    const d = validate(raw).filter((x) => x.code === 'hybridnet/validate/intent/not-resilient');
    expect(d.map((x) => x.path)).toEqual([['intents', 0, 'survives']]);
    expect(d[0]!.message).toMatch(/^intent "app-to-sites" fails when connection webapp-to-aws is down: 172\.16\.201\.4 → 10\.20\.0\.4 \(onprem-aws\): /);
  });

  it('the sites an intent starts or ends at are not failures it could survive; the sites it crosses are', () => {
    const raw = example('branch-to-branch');
    raw.intents[0].survives = 'any-single-failure';
    const t = load(raw);
    const tried = resilience(t.topology, t.index)[0]!.failures.map((f) => f.elements[0]);
    expect(tried).not.toContain('site:branch-er');
    expect(tried).not.toContain('site:branch-rras');
    expect(tried).toEqual(expect.arrayContaining(['gateway:ergw-hub', 'gateway:vgw-hub', 'instance:vgw-hub/0', 'route-server:rs-hub', 'connection:hub-to-branch-er']));
  });

  it('an element the topology does not have is an error on it', () => {
    const raw = example('branch-to-branch');
    raw.intents[0].survives = [['vgw-hub/0', 'vgw-hub/7']];
    const d = validate(raw).filter((x) => x.code === 'hybridnet/validate/intent/failure-unknown');
    expect(d.map((x) => [x.path, x.message])).toEqual([[['intents', 0, 'survives', 0, 1], 'intent "branch-to-branch": survives: the topology has no element "vgw-hub/7"']]);
  });

  it('a failure set several intents name is answered once for all; past the budget the rest are counted, not answered', () => {
    const raw = example('branch-to-branch');
    raw.intents[0].survives = 'any-single-failure';
    raw.intents[1].survives = 'any-single-failure';
    const t = load(raw);
    const all = resilience(t.topology, t.index);
    const sets = all.map((r) => r.failures.length);
    expect(all.every((r) => r.unanswered === 0)).toBe(true);
    // A budget of one unit of work: the first failure set is answered (it takes at least one), the rest are not.
    const bounded = resilience(t.topology, t.index, { budget: 1 });
    const distinct = new Set(bounded.flatMap((r) => r.failures.map((f) => f.elements.join(','))));
    expect(distinct.size).toBe(1);
    expect(bounded.map((r) => r.failures.length + r.unanswered)).toEqual(sets);
    expect(bounded.reduce((n, r) => n + r.unanswered, 0)).toBeGreaterThan(0);
    // What is answered agrees with the unbounded answer.
    for (const r of bounded) for (const f of r.failures) expect(all.find((x) => x.at === r.at)!.failures.find((x) => x.set === f.set)).toEqual(f);
  });
});
