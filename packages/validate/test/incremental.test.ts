/**
 * Failure analysis working out only what a failure touches (src/incremental.ts) must answer every
 * intent as a full recomputation does: the topology with the elements down (topologyWithFailures),
 * simulated and answered from scratch.
 */
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { evaluateIntents, failureElements, simulateRoutes, topologyWithFailures, whyFails } from '@hybridnet/validate';
import { configurationPrefixes } from '../src/dataplane.ts';
import { applyEffect, effectOf } from '../src/failures.ts';
import { FailureAnalysis } from '../src/incremental.ts';
import { propertyRuns, shape, topologyText } from '../../../tools/test-support/random-topology.ts';
import { example, load, type Raw } from './helpers.ts';

/** Every intent's verdict and first reason with `elements` down, both ways; the pairs that differ. */
function disagreements(t: ReturnType<typeof load>, analysis: FailureAnalysis, elements: readonly string[]) {
  const down = topologyWithFailures(t.topology, t.index, elements);
  const full = evaluateIntents(down.topology, down.index);
  const quick = analysis.answer(elements);
  return full.flatMap((f, i) => {
    const q = quick.results.get(i)!;
    const [a, b] = [f, q].map((r) => JSON.stringify({ holds: r.holds, why: whyFails(r), walked: r.walked, failed: r.failed, pairs: `${r.failedPairs}/${r.addressPairs}`, problems: r.problems.map((p) => p.message), flows: r.flows.map((x) => `${x.source} → ${x.destination}: ${x.verdict}, ${x.why}`) }));
    return a === b ? [] : [{ elements, intent: f.intent.name, full: JSON.parse(a!), incremental: JSON.parse(b!) }];
  });
}

/** Every single failure, and each pair of the first few, on one topology. */
function failureSets(t: ReturnType<typeof load>): string[][] {
  const all = failureElements(t.topology, t.index);
  const pairs = all.slice(0, 6).flatMap((a, i) => all.slice(i + 1, 6).map((b) => [a, b]));
  return [...all.map((e) => [e]), ...pairs];
}

/**
 * A random topology with, when it has two hubs, a VNet-to-VNet connection between them (BGP as its
 * gateways), and maybe a security group on the first hub's workload subnet that lets one site in on
 * HTTPS and keeps the rest out (VirtualNetwork, which its default rules use, moves with the routes).
 */
const randomTopology = fc.record({ shape, v2v: fc.boolean(), nsg: fc.boolean() }).map(({ shape: s, v2v, nsg }) => {
  const raw = parse(topologyText(s, { intents: true })) as Raw;
  if (v2v && s.hubs === 2) raw.connections.push({ name: 'hub-to-hub', type: 'vnet-to-vnet', gateways: ['vgw-hub-0', 'vgw-hub-1'], bgp: s.bgp, sharedKey: { env: 'PSK_HUBS' } });
  if (nsg) {
    raw.azure.networkSecurityGroups = [{ name: 'nsg-workload', rules: [{ name: 'site-0-https', priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', source: ['site-0'], destination: ['*'], destinationPorts: ['443'] }, { name: 'no-sites', priority: 200, direction: 'Inbound', access: 'Deny', source: raw.sites.map((x: Raw) => x.name), destination: ['*'] }] }];
    raw.azure.vnets[0].subnets.find((x: Raw) => x.name === 'workload').networkSecurityGroup = 'nsg-workload';
    raw.intents.push({ name: 'https-in', kind: 'reach', from: 'site-0', to: ['vnet-hub-0/workload'], port: 443 }, { name: 'ssh-in', kind: 'isolate', from: 'site-0', to: ['vnet-hub-0/workload'], port: 22 });
  }
  return raw;
});

describe('failure analysis equals a full recomputation', () => {
  it.each(['branch-to-branch', 'webapp-hybrid', 'webapp-regional'] as const)('%s: every single failure and pairs of them', (name) => {
    const t = load(example(name));
    const analysis = new FailureAnalysis(t.topology, t.index);
    for (const elements of failureSets(t)) expect(disagreements(t, analysis, elements)).toEqual([]);
  });

  it('on random topologies', () => {
    let changedSomething = 0;
    fc.assert(
      fc.property(randomTopology, (raw) => {
        const t = load(raw);
        const analysis = new FailureAnalysis(t.topology, t.index);
        for (const elements of failureSets(t)) {
          if (analysis.answer(elements).answered > 0) changedSomething++;
          expect(disagreements(t, analysis, elements)).toEqual([]);
        }
      }),
      { numRuns: propertyRuns(60), seed: 29 },
    );
    // Failures here do change verdicts: the comparison is not between two unchanged baselines.
    expect(changedSomething).toBeGreaterThan(20);
  });

  it('patches the index as linking the failed topology anew does, sharing what the failure does not change', () => {
    const t = load(example('branch-to-branch'));
    const entries = (index: typeof t.index, key: 'vnets' | 'vpnGateways' | 'expressRouteGateways' | 'routeServers' | 'firewalls' | 'connections' | 'sites') => JSON.parse(JSON.stringify([...index[key]].map(([k, e]) => [k, e.value, 'vnet' in e ? (e.vnet as { name: string }).name : null])));
    for (const element of failureElements(t.topology, t.index)) {
      const patched = applyEffect(t.topology, t.index, effectOf(t.topology, t.index, [element]));
      const linked = topologyWithFailures(t.topology, t.index, [element]);
      for (const key of ['vnets', 'vpnGateways', 'expressRouteGateways', 'routeServers', 'firewalls', 'connections', 'sites'] as const) expect(entries(patched.index, key), `${element} ${key}`).toEqual(entries(linked.index, key));
      // A gateway entry points at its VNet as the failed topology holds it.
      for (const [, e] of patched.index.vpnGateways) expect(patched.topology.azure.vnets).toContain(e.vnet);
    }
    const site = applyEffect(t.topology, t.index, effectOf(t.topology, t.index, ['site:branch-rras']));
    site.topology.azure.vnets.forEach((v, i) => expect(v).toBe(t.topology.azure.vnets[i]));
    expect(site.topology.sites).toBe(t.topology.sites);
  });
});

describe('cuts come from the configuration', () => {
  /** Every prefix a simulated route carries is one the configuration names, so failures move cuts only with the configuration. */
  const uncovered = (t: ReturnType<typeof load>) => {
    const named = new Set(configurationPrefixes(t.topology, t.index));
    return simulateRoutes(t.topology, t.index).sets.flatMap((s) => s.routes.filter((r) => !named.has(r.prefix)).map((r) => `${s.kind} ${s.name}: ${r.prefix} (${r.origin})`));
  };

  it('on the examples', () => {
    for (const name of ['branch-to-branch', 'webapp-hybrid', 'webapp-regional'] as const) expect(uncovered(load(example(name)))).toEqual([]);
  });

  it('on random topologies', () => {
    fc.assert(
      fc.property(randomTopology, (raw) => {
        expect(uncovered(load(raw))).toEqual([]);
      }),
      { numRuns: propertyRuns(40), seed: 7 },
    );
  });
});

describe('what a failure works out again', () => {
  it('a connection of one hub: its gateway, its site, and the VNets behind that gateway', () => {
    const raw = parse(stringify(parse(topologyText({ hubs: 2, spokes: 2, activeActive: false, bgp: false, sku: 'VpnGw1AZ', sites: [{ aws: false, bgp: false, dual: false }, { aws: false, bgp: false, dual: false }], firewall: false }, { intents: true })))) as Raw;
    const t = load(raw);
    const analysis = new FailureAnalysis(t.topology, t.index);
    // One gateway, one site, the hub and its two spokes.
    expect(analysis.answer(['connection:conn-0']).work).toBe(5);
    // The site has that one connection: the same effect, answered once.
    expect(analysis.answer(['site:site-0']).work).toBe(0);
  });
});
