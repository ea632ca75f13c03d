/** Codes the Barracuda generator raises. */
export const CGF_CODES = {
  'hybridnet/gen-barracuda/name-too-long': 'a network object or rule name longer than the firewall accepts (64 characters)',
  'hybridnet/gen-barracuda/empty-group': 'an address group with no addresses, which the firewall cannot hold',
} as const;

export type CgfCode = keyof typeof CGF_CODES;
