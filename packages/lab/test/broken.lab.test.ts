/**
 * Each example, deliberately broken: the lab shows the failure with the daemon's own reason. Two
 * breaks are in one device, typed by hand against the topology (a wrong ASN, an IPsec policy the
 * other end does not accept): only the lab can see those. Two are in the topology (a site without
 * a route back to the point-to-site pool, a firewall without its rule): the lab and the
 * simulation both see them, and agree.
 */
import { describe, expect, it } from 'vitest';
import { labDown, labTest, labUp, planLab, type LabPlan } from '@hybridnet/lab';
import { canRun, env, labExampleText, leftovers, load } from '../../../tools/test-support/lab.ts';

async function inLab<T>(plan: LabPlan, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } finally {
    await labDown(plan.lab, env);
    expect(leftovers(plan.lab)).toEqual([]);
  }
}


describe.runIf(canRun).concurrent('deliberately broken examples in the lab', () => {
  it("branch-to-branch, the RRAS branch's router on a wrong ASN: Azure's gateway refuses the BGP session (bad peer AS), and the branch cannot be reached", async () => {
    const { topology, index } = load(labExampleText('branch-to-branch', 'b2b-wrong-asn'));
    const plan = planLab(topology, index);
    const router = plan.nodes.find((n) => n.label === 'RRAS of site branch-rras')!;
    router.frr = router.frr!.replace('router bgp 65060', 'router bgp 65061');
    await inLab(plan, async () => {
      const up = await labUp(plan, { env, timeoutMs: 8000 });
      expect(up.convergence.bgp.filter((b) => b.label.startsWith('BGP hub-to-branch-rras')).map((b) => b.up)).toEqual([false, false]);
      // The OPEN is refused as soon as the tunnel carries it; on a busy machine that may be after up returns.
      let report = await labTest(plan, topology, index, env);
      for (let i = 0; i < 20 && !report.bgp.filter((b) => b.label.startsWith('BGP hub-to-branch-rras')).every((b) => /Bad Peer AS/i.test(b.reason ?? '')); i++) {
        await new Promise((r) => setTimeout(r, 500));
        report = await labTest(plan, topology, index, env);
      }
      for (const b of report.bgp.filter((x) => x.label.startsWith('BGP hub-to-branch-rras'))) expect(b.reason).toMatch(/Bad Peer AS/i);
      const toRras = report.intents.find((i) => i.intent === 'spoke-to-branches')!.flows.find((f) => f.flow.to.label === 'vm-branch-rras')!;
      expect(toRras.lab.holds).toBe(false);
      // The topology says 65060 at both ends; only the running device differs.
      expect(toRras.simulation!.holds).toBe(true);
    });
  });

  it("webapp-hybrid, the AWS site's device on another IPsec policy than the connection's: IKE fails with NO_PROPOSAL_CHOSEN, and the site cannot be reached", async () => {
    const { topology, index } = load(labExampleText('webapp-hybrid', 'hybrid-wrong-policy'));
    const plan = planLab(topology, index);
    const end = plan.nodes.find((n) => n.label === 'tunnel webapp-to-aws, site end')!;
    end.ike = { connections: end.ike!.connections.map((c) => ({ ...c, ike: ['aes128-sha1-modp1024'], esp: ['aes128-sha1'] })) };
    await inLab(plan, async () => {
      const up = await labUp(plan, { env, timeoutMs: 6000 });
      const tunnel = up.convergence.sas.find((s) => s.label === 'tunnel webapp-to-aws')!;
      expect(tunnel.up).toBe(false);
      expect(tunnel.reason).toMatch(/NO_PROPOSAL_CHOSEN/);
      const report = await labTest(plan, topology, index, env);
      const toAws = report.intents.find((i) => i.intent === 'backend-to-sites')!.flows.find((f) => f.flow.to.label === 'ec2-onprem-aws')!;
      expect(toAws.lab.holds).toBe(false);
      expect(report.tunnels.find((t) => t.label === 'tunnel webapp-to-aws')!.reason).toMatch(/NO_PROPOSAL_CHOSEN/);
    });
  });

  it("webapp-hybrid, the AWS site told only the VNet (azureAddressSpace), not the point-to-site pool: its test machine's security group, made from the same list, refuses the app's request, as the simulation says (dropped)", async () => {
    const text = labExampleText('webapp-hybrid', 'hybrid-no-return').replace('    site: onprem-aws\n    sharedKey:', '    site: onprem-aws\n    azureAddressSpace: [10.10.0.0/16]\n    sharedKey:');
    const { topology, index } = load(text);
    const plan = planLab(topology, index);
    await inLab(plan, async () => {
      await labUp(plan, { env });
      const report = await labTest(plan, topology, index, env);
      const flow = report.intents.find((i) => i.intent === 'app-to-sites')!.flows.find((f) => f.flow.to.label === 'ec2-onprem-aws')!;
      expect(flow.lab).toMatchObject({ verdict: 'dropped', holds: false });
      expect(flow.lab.why).toMatch(/RRAS of site onprem-aws.*got no answer/);
      expect(flow.simulation).toMatchObject({ verdict: 'dropped', holds: false });
      expect(flow.simulation!.why).toContain('the security group of ec2-onprem-aws');
      expect(report.agree).toBe(true);
    });
  });

  it("webapp-regional, the branch asking the backend on RDP, which its security group keeps out: dropped at the backend's subnet, in the lab (nftables) as in the simulation", async () => {
    const text = labExampleText('webapp-regional', 'regional-nsg').replace('    port: 22 # what nsg-backend lets the branch in on', '    port: 3389');
    const { topology, index } = load(text);
    const plan = planLab(topology, index);
    await inLab(plan, async () => {
      await labUp(plan, { env });
      const report = await labTest(plan, topology, index, env);
      const flow = report.intents.find((i) => i.intent === 'branch-to-backend')!.flows.find((f) => f.flow.direction === 'forward')!;
      expect(flow.lab).toMatchObject({ verdict: 'dropped', holds: false });
      expect(flow.simulation).toMatchObject({ verdict: 'dropped', holds: false });
      expect(flow.simulation!.why).toContain('rule "deny-branch" (priority 4000) denies it');
      expect(report.agree).toBe(true);
    });
  });

  it("webapp-regional, the firewall's rule removed: traffic to the partner API is dropped at the firewall, as the simulation says", async () => {
    const text = labExampleText('webapp-regional', 'regional-no-rule').replace(/      rules:\n(?: {8}.*\n)+/, '      rules: []\n');
    const { topology, index } = load(text);
    const plan = planLab(topology, index);
    await inLab(plan, async () => {
      await labUp(plan, { env });
      const report = await labTest(plan, topology, index, env);
      const flow = report.intents.find((i) => i.intent === 'backend-to-partner-api')!.flows[0]!;
      expect(flow.lab).toMatchObject({ verdict: 'dropped', holds: false });
      expect(flow.lab.why).toMatch(/stopped at firewall fw-webapp-regional/);
      expect(flow.simulation).toMatchObject({ verdict: 'dropped', holds: false });
      expect(report.agree).toBe(true);
    });
  });
});
