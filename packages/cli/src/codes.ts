/** Codes the command line itself raises (besides `generate --check`'s, in check.ts). */
export const CLI_CODES = {
  'hybridnet/cli/generator-not-built': 'a target whose generator is not built yet: only the validated manifest is written for it',
  'hybridnet/cli/unknown-rule': 'a severity override (rules: in the topology, or --rule) names a code hybridnet does not have',
  'hybridnet/cli/fmt-changes-meaning': 'fmt would change what the file means: reordering would rebind an alias to another anchor of the same name, or put it before its anchor; nothing is written',
  'hybridnet/cli/rule-not-lowerable': 'a severity override lowers a hard rule (its findings are errors because Azure or the target refuses the result)',
} as const;

/**
 * Where a code's entry in the rule catalogue is: the README of the package that raises it, at the
 * code's own anchor (`packages/validate/README.md#hybridnet-validate-address-subnet-overlap`).
 */
export function docsLink(code: string): string {
  const area = code.split('/')[1] ?? '';
  const pkg = area === 'load' ? 'model' : area === 'check' ? 'cli' : area;
  return `packages/${pkg}/README.md#${code.replaceAll('/', '-')}`;
}
