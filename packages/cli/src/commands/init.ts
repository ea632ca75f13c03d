/** `hybridnet init [file] [--template <name>] [--force]` */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Option } from 'commander';
import { topologyJsonSchema } from '@hybridnet/model';
import { starterTopology, STARTERS, type Starter } from '../init.ts';
import { InputError } from '../pipeline.ts';
import { writeFileAtomic } from '../writer.ts';
import type { Register } from './context.ts';

export const registerInit: Register = (ctx) => {
  ctx.program
    .command('init')
    .description('Write a commented starter topology that validates clean, and the JSON Schema beside it for editors.')
    .argument('[file]', 'topology file to write', 'topology.yaml')
    .addOption(new Option('--template <name>', 'which starter').choices([...STARTERS]).default('minimal'))
    .option('--force', 'overwrite the file if it exists')
    .action(async (file: string, options: { template: Starter; force?: boolean }) => {
      if (file === '') throw new InputError('init needs a file name');
      if (!options.force && existsSync(file)) throw new InputError(`${file} exists; choose another name or pass --force to overwrite it`);
      const cannot = (path: string) => (error: NodeJS.ErrnoException) => {
        throw new InputError(`cannot write ${path}: ${error.code ? `${error.code} ` : ''}${error.message}`);
      };
      await writeFileAtomic(file, starterTopology(options.template)).catch(cannot(file));
      const schema = join(dirname(file), 'topology.schema.json');
      const writeSchema = !existsSync(schema);
      if (writeSchema) await writeFileAtomic(schema, `${JSON.stringify(topologyJsonSchema(), null, 2)}\n`).catch(cannot(schema));
      ctx.io.out(`wrote ${file} (${options.template})${writeSchema ? ` and ${schema}` : ''}; next: hybridnet validate ${file}\n`);
    });
};
