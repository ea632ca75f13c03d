/** Codes the RRAS generator raises when the topology asks for something RRAS cannot do. */
export const RRAS_CODES = {
  'hybridnet/gen-rras/apipa-peer': 'RRAS cannot use an APIPA BGP address: its demand-dial interfaces take no tunnel address (use the server LAN address)',
  'hybridnet/gen-rras/site-without-connection': 'an RRAS site no connection reaches, so there is nothing to configure',
} as const;

export type RrasCode = keyof typeof RRAS_CODES;
