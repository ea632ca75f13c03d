/**
 * @hybridnet/gen-bicep: Azure Bicep, a .bicepparam file and the equivalent ARM JSON for the
 * network of a topology, from one target-shaped form so the two cannot disagree.
 */
import type { Generator } from '@hybridnet/model';
import { deploymentName, printArm, printArmParameters } from './print-arm.ts';
import { printBicep, printBicepParam } from './print-bicep.ts';
import { toArmTemplate } from './transform.ts';

export const bicepGenerator = {
  target: 'bicep',
  description: 'Azure Bicep, .bicepparam and ARM JSON for the Azure network',
  generate(topology, index, _context) {
    const { template, diagnostics } = toArmTemplate(topology, index);
    if (diagnostics.some((d) => d.severity === 'error')) return { files: [], diagnostics };
    return {
      files: [
        ...printBicep(template, (m) => deploymentName(topology.name, m)),
        { path: 'main.bicepparam', content: printBicepParam(template) },
        { path: 'main.json', content: printArm(template, topology.name) },
        { path: 'main.parameters.json', content: printArmParameters(template) },
      ],
      diagnostics,
    };
  },
} satisfies Generator;

export { toArmTemplate } from './transform.ts';
export { printArm, printArmParameters, deploymentName } from './print-arm.ts';
export { printBicep, printBicepParam, bicepString } from './print-bicep.ts';
export { NETWORK_API, WEB_API } from '@hybridnet/model';
export { appCertificateName } from './app.ts';
export { BICEP_CODES, type BicepCode } from './diagnostics.ts';
export type * from './ir.ts';
