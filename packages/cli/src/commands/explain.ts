/** `hybridnet explain [code]` */
// Imported statically: a dynamic import of this CommonJS package yields its exports under `default` in the bundle.
import { closest } from 'fastest-levenshtein';
import { InputError } from '../pipeline.ts';
import type { Register } from './context.ts';

export const registerExplain: Register = (ctx) => {
  ctx.program
    .command('explain')
    .description('Print what a diagnostic code means, its severity, an example and its entry in the rule catalogue; without a code, list every code.')
    .argument('[code]', 'a code such as hybridnet/validate/address/subnet-overlap')
    .action(async (code: string | undefined) => {
      const { CATALOGUE, explain } = await import('../catalogue.ts');
      if (code === undefined) return void ctx.io.out([...CATALOGUE.values()].map((e) => `${e.code}  ${e.summary}\n`).join(''));
      const entry = CATALOGUE.get(code) ?? CATALOGUE.get(`hybridnet/${code}`);
      if (!entry) {
        throw new InputError(`no diagnostic has the code "${code}"; did you mean "${closest(code, [...CATALOGUE.keys()])}"? (hybridnet explain lists every code)`);
      }
      ctx.io.out(explain(entry));
    });
};
