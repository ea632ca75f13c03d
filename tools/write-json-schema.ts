/** Writes packages/model/topology.schema.json from the zod schema (checked to be current by a test). */
import { run } from '@hybridnet/cli';

process.exitCode = await run(['schema', '--out', 'packages/model/topology.schema.json']);
