/**
 * @hybridnet/gen-cloudformation: a CloudFormation stack (JSON and YAML) for every on-premises
 * site simulated in AWS: VPC, subnet, routes to Azure through the RRAS server, the RRAS Windows
 * instance with its Elastic IP, scoped security groups and role, and the site's test endpoints.
 */
import { flat } from '@hybridnet/render/escape';
import type { Generator } from '@hybridnet/model';
import { toCfnStacks } from './transform.ts';
import { yamlPrinter } from './yaml.ts';

export const cloudFormationGenerator = {
  target: 'cloudformation',
  description: 'AWS CloudFormation for sites simulated in AWS',
  generate(topology, index, _context) {
    const { stacks, diagnostics } = toCfnStacks(topology, index);
    if (diagnostics.some((d) => d.severity === 'error')) return { files: [], diagnostics };
    const yaml = yamlPrinter();
    const files = stacks.flatMap(({ site, template }) => [
      { path: `${site}/stack.json`, content: `${JSON.stringify(template, null, 2)}\n` },
      // The YAML form of the same template (long-form intrinsics, so it loads as the JSON does).
      { path: `${site}/stack.yaml`, content: flat(yaml.print(template)) },
    ]);
    return { files, diagnostics };
  },
} satisfies Generator;

export { toCfnStacks, type CfnStack } from './transform.ts';
export { CFN_CODES, type CfnCode } from './diagnostics.ts';
export type * from './ir.ts';
