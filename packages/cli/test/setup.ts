/** The command-line tests speak in repository-relative paths (examples/...), as a user in a clone would. */
import { fileURLToPath } from 'node:url';

process.chdir(fileURLToPath(new URL('../../../', import.meta.url)));
