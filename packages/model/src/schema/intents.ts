/**
 * Intents: which traffic must flow, where, and through what. The validator answers each one with
 * the route simulation before deploy (a data-plane walk, hop by hop); `hybridnet verify azure`
 * checks them against what Azure has after deploy.
 *
 *   intents:
 *     - { name: app-to-sites, kind: reach, from: app-webapp, to: [onprem-aws, onprem-azure] }
 *     - { name: backend-to-api, kind: reach, from: vnet-webapp/backend, to: [EXTERNAL-API], via: fw-webapp }
 *     - { name: branches, kind: symmetric, from: branch-a, to: [branch-b], survives: [[vgw-hub/0], [vgw-hub/1]] }
 *     - { name: spoke-not-test, kind: isolate, from: vnet-spoke, to: [test-site] }
 *
 * An endpoint is a test endpoint, a subnet (`vnet/subnet`), an App Service app, a site, a VNet, a
 * firewall address group (`firewall/group`, or the group's name alone when one firewall has it),
 * or a prefix or address.
 */
import { z } from 'zod';
import { Name, wholeNumber } from './primitives.ts';

export const IntentEndpoint = z
  .string()
  .min(1)
  .max(200)
  .describe('A test endpoint, subnet (vnet/subnet), App Service, site, VNet, firewall address group (firewall/group or group), or a prefix or address.');

const ends = {
  description: z.string().max(500).optional().describe('Free text: what the intent stands for.'),
  from: IntentEndpoint.describe('Where the traffic starts. An App Service app can only be a source.'),
  to: z.array(IntentEndpoint).min(1).max(100).describe('Where it goes; each target is checked on its own.'),
};

/** The traffic an intent is about: its protocol and destination port. */
const traffic = {
  protocol: z.enum(['tcp', 'udp', 'icmp']).default('tcp').describe('Protocol of the traffic (default tcp).'),
  port: wholeNumber(1, 65535, 'a port is a whole number from 1 to 65535')
    .optional()
    .describe('Destination port (tcp and udp). Default: the port verification probes: a test endpoint\'s listener (SSH 22 on Linux, RDP 3389 on Windows), elsewhere the first TCP port the firewall named in via passes toward the address, else 443.'),
};

const via = Name.optional().describe('A firewall (azure.firewalls) the traffic must cross, both ways.');

/** A failure a user names: `kind:name`, a bare name, or `name/n` (see `hybridnet routes --fail`). */
const FailureElement = z.string().min(1).max(200).describe('An element that fails: a connection, connection/tunnel, gateway, gateway/instance, Route Server, firewall or site.');

const survives = z
  .union([
    z.literal('any-single-failure').describe('Every single failure of an element on the intent\'s paths (its connections and their tunnels, its gateways and their instances, Route Server, its firewalls, the sites it crosses).'),
    z.array(z.array(FailureElement).min(1).max(20).describe('Elements down together.')).min(1).max(100).describe('Failure sets, each of elements down together.'),
  ])
  .optional()
  .describe('The failures the intent must survive: validate answers it with each of them.');

export const Intent = z
  .discriminatedUnion('kind', [
    z.strictObject({ name: Name, kind: z.literal('reach').describe('The traffic reaches every target and the replies come back.'), ...ends, ...traffic, via, survives }).describe('Traffic that must flow.'),
    z.strictObject({ name: Name, kind: z.literal('symmetric').describe('As reach, and the replies cross the same gateways and firewalls in reverse order.'), ...ends, ...traffic, via, survives }).describe('Traffic that must flow, with its return through the same hops.'),
    z.strictObject({ name: Name, kind: z.literal('isolate').describe('The traffic must not reach any target.'), ...ends, ...traffic }).describe('Traffic that must not flow.'),
  ])
  .describe('A statement about traffic: reach, symmetric or isolate.');

export type Intent = z.infer<typeof Intent>;
export type IntentKind = Intent['kind'];
