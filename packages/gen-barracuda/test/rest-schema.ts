/**
 * The documented CGF REST shapes (REST API v8+; field names from ../shared/reference/generators.md
 * §2.3) as zod schemas: every generated payload must parse, strictly.
 */
import { z } from 'zod';

const cidr = z.string().regex(/^[0-9a-fA-F:.]+\/\d{1,3}$/);
const entry = z.union([z.strictObject({ entry: z.strictObject({ ip: cidr, comment: z.string().optional() }) }), z.strictObject({ references: z.string().min(1) })]);
const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/);

export const NetworkObject = z.strictObject({
  name,
  type: z.enum(['generic', 'singleIPv4Address', 'listIPv4Address', 'singleIPv4Network', 'listIPv4Network', 'hostname', 'singleIPv6Address', 'listIPv6Address', 'singleIPv6Network', 'listIPv6Network']),
  comment: z.string(),
  included: z.array(entry).min(1),
  excluded: z.array(entry),
});

const addressRef = z.union([z.strictObject({ references: z.string().min(1) }), z.strictObject({ explicit: z.strictObject({ included: z.array(entry).min(1), excluded: z.array(entry) }) })]);

export const ForwardingRule = z.strictObject({
  name,
  comment: z.string(),
  deactivated: z.boolean(),
  bidirectional: z.boolean(),
  ipVersion: z.enum(['IPv4', 'IPv6']),
  position: z.union([z.strictObject({ placement: z.enum(['top', 'bottom']) }), z.strictObject({ placement: z.enum(['before', 'after']), reference: z.string().min(1) }), z.strictObject({ placement: z.literal('exact'), index: z.number().int() })]),
  source: addressRef,
  destination: addressRef,
  service: z.union([z.strictObject({ references: z.string().min(1) }), z.strictObject({ explicit: z.strictObject({ entries: z.array(z.strictObject({ references: z.string().min(1) })).min(1) }) })]),
  action: z.union([
    z.strictObject({ type: z.literal('pass'), connection: z.strictObject({ references: z.string().min(1) }) }),
    z.strictObject({ type: z.enum(['block', 'deny']) }),
  ]),
});
