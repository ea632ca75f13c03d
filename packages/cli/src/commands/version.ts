/** `hybridnet version` (as `--version`, `-v` and `-V`) */
import { VERSION } from '../version.ts';
import type { Register } from './context.ts';

export const registerVersion: Register = (ctx) => {
  ctx.program
    .command('version')
    .description('Print the version (as --version does).')
    .action(() => ctx.io.out(`${VERSION}\n`));
};
