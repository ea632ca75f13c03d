/**
 * @hybridnet/validate: everything `hybridnet validate` checks, in three phases: the address plan
 * (overlaps first), then Azure's hard rules, then the routing mistakes found by simulating what
 * each gateway, Route Server, site and subnet learns. Each phase reports all its problems; an
 * error stops the phases after it.
 */
import { hasErrors, type Diagnostic, type Topology, type TopologyIndex } from '@hybridnet/model';
import { createContext } from './context.ts';
import { checkAddressPlan } from './rules/address.ts';
import { checkAzureRules } from './rules/azure.ts';
import { checkBgp } from './rules/bgp.ts';
import { checkIntents } from './rules/intents.ts';
import { checkRouting } from './rules/routing.ts';
import { simulateRoutes } from './simulate.ts';

export function validateTopology(topology: Topology, index: TopologyIndex): Diagnostic[] {
  const ctx = createContext(topology, index);
  checkAddressPlan(ctx);
  if (hasErrors(ctx.diagnostics)) return ctx.diagnostics;
  checkAzureRules(ctx);
  checkBgp(ctx);
  if (hasErrors(ctx.diagnostics)) return ctx.diagnostics;
  checkRouting(ctx, simulateRoutes(topology, index));
  checkIntents(ctx);
  return ctx.diagnostics;
}

export { findOverlaps, findParsedOverlaps, findOverlapsPairwise, overlapIndexes, overlapIndexesInLines, type NamedPrefix, type ParsedNamedPrefix, type Overlap, type OverlapResult } from './address-plan.ts';
export { simulateRoutes, routeServerExchanges, siteRoutesTowardAzure, nextHopText, type Simulation, type RouteSet, type SimRoute, type RouteOrigin, type NextHop } from './simulate.ts';
export { formatRoutes, formatRouteChanges } from './format-routes.ts';
export { evaluateIntents, flowVerdict, contextIntents, traceLine, walkLines, hopText, type EvaluateOptions, type IntentResult, type FlowResult, type Verdict } from './intents.ts';
export { lookupLinear, type Hop, type WalkResult } from './dataplane.ts';
export { planeNsgs, virtualNetworkPrefixes, type Ends as NsgEnds, type NsgDecision, type PlaneNsg, type PlaneRule as PlaneNsgRule, type Traffic } from './nsg.ts';
export { failureElements, resolveFailure, routeChanges, topologyWithFailures, FAILURE_KINDS, type FailureKind, type RouteChange } from './failures.ts';
export { resilience, failuresOnPath, whyFails, RESILIENCE_BUDGET, type ResilienceRow } from './resilience.ts';
export { failureAnalysis, type FailureAnalysis, type FailureAnswer } from './incremental.ts';
export { VALIDATE_CODES, type ValidateCode, type RuleInfo } from './codes.ts';
