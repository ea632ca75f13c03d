/** Lays out an RrasScript as its two files; decides nothing. */
import { readFileSync } from 'node:fs';
import type { GeneratedFile } from '@hybridnet/model';
import type { RrasScript } from './ir.ts';
import { compile } from '@hybridnet/render';

// Templates ship with the package and are read once, when it loads; rendering does no I/O.
const read = (name: string) => readFileSync(new URL(`./templates/${name}`, import.meta.url), 'utf8');
const script = compile<RrasScript>(read('configure-rras.ps1.hbs'), {
  install: read('install.hbs'),
  keys: read('keys.hbs'),
  interface: read('interface.hbs'),
  bgp: read('bgp.hbs'),
  connect: read('connect.hbs'),
  verify: read('verify.hbs'),
});
const readme = compile<RrasScript>(read('README.md.hbs'));

export function printRras(ir: RrasScript): GeneratedFile[] {
  return [
    { path: `${ir.directory}/configure-rras.ps1`, content: script(ir) },
    { path: `${ir.directory}/README.md`, content: readme(ir) },
  ];
}
