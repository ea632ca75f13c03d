/** Lays out a CgfFirewall (payloads, apply scripts, sheet) and CgfSiteTunnels (sheets); decides nothing. */
import { readFileSync } from 'node:fs';
import type { GeneratedFile } from '@hybridnet/model';
import { compile } from '@hybridnet/render';
import type { CgfAddress, CgfFirewall, CgfNetworkObject, CgfRule, CgfSiteTunnel } from './ir.ts';

// Templates ship with the package and are read once, when it loads; rendering does no I/O.
const read = (name: string) => readFileSync(new URL(`./templates/${name}`, import.meta.url), 'utf8');
const applySh = compile<CgfFirewall>(read('apply.sh.hbs'));
const applyPs1 = compile<CgfFirewall>(read('apply.ps1.hbs'));
const sheet = compile<SheetView>(read('SHEET.md.hbs'));
const vpnSheet = compile<CgfSiteTunnel>(read('VPN-SHEET.md.hbs'));

interface SheetView extends CgfFirewall {
  readonly objects: { position: number; name: string; addresses: string[] }[];
  readonly rules: { position: number; name: string; source: string; destination: string; service: string; action: string }[];
}

const addressText = (a: CgfAddress) => ('references' in a ? a.references : a.explicit.included.map((e) => e.references ?? e.entry!.ip).join(', '));

/** The sheet's rows, read straight off the payloads. */
function sheetView(fw: CgfFirewall): SheetView {
  const objects = fw.steps.filter((s) => s.collection === 'objects/networks').map((s, i) => ({ position: i + 1, name: s.name, addresses: (s.payload as CgfNetworkObject).included.map((e) => e.entry!.ip) }));
  const rules = fw.steps
    .filter((s) => s.collection === 'rules')
    .map((s, i) => {
      const rule = s.payload as CgfRule;
      const service = 'references' in rule.service ? rule.service.references : rule.service.explicit.entries.map((e) => e.references).join(', ');
      return { position: i + 1, name: s.name, source: addressText(rule.source), destination: addressText(rule.destination), service, action: rule.action.type === 'pass' ? `pass (${rule.action.connection.references})` : rule.action.type };
    });
  return { ...fw, objects, rules };
}

export function printFirewall(fw: CgfFirewall): GeneratedFile[] {
  return [
    ...fw.steps.map((s) => ({ path: `${fw.name}/${s.file}`, content: `${JSON.stringify(s.payload, null, 2)}\n` })),
    { path: `${fw.name}/apply.sh`, content: applySh(fw) },
    { path: `${fw.name}/apply.ps1`, content: applyPs1(fw) },
    { path: `${fw.name}/SHEET.md`, content: sheet(sheetView(fw)) },
  ];
}

export function printSiteTunnel(tunnel: CgfSiteTunnel): GeneratedFile {
  return { path: `site-${tunnel.site}/${tunnel.connection}-VPN-SHEET.md`, content: vpnSheet(tunnel) };
}
