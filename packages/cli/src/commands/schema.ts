/** `hybridnet schema [--out <file>]` */
import { topologyJsonSchema } from '@hybridnet/model';
import { InputError } from '../pipeline.ts';
import { writeFileAtomic } from '../writer.ts';
import type { Register } from './context.ts';

export const registerSchema: Register = (ctx) => {
  ctx.program
    .command('schema')
    .description('Print the JSON Schema of topology files (for editors), or write it to a file.')
    .option('--out <file>', 'write the schema to this file instead of standard output')
    .action(async (options: { out?: string }) => {
      const text = `${JSON.stringify(topologyJsonSchema(), null, 2)}\n`;
      if (options.out === undefined) return void ctx.io.out(text);
      if (options.out === '') throw new InputError('--out needs a file name');
      await writeFileAtomic(options.out, text).catch((error: Error) => {
        throw new InputError(`cannot write ${options.out}: ${error.message}`);
      });
      ctx.io.out(`wrote ${options.out}\n`);
    });
};
