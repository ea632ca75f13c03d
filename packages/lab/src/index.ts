/**
 * @hybridnet/lab: a topology brought up on one Linux machine, its intents run as packets. One
 * network namespace per device (each Azure gateway instance, tunnel end, site router, firewall and
 * host), real strongSwan for IKEv2 and ESP, real FRR for BGP, nftables for the firewall, and
 * Azure's own routing written once (platform.ts). `planLab` decides everything without touching
 * the machine; `labUp`, `labTest`, `labFail` and `labDown` carry it out.
 */
export { planLab, labName } from './plan/index.ts';
export { labUp, type UpOptions, type UpResult } from './runtime/up.ts';
export { labDown, type DownResult } from './runtime/down.ts';
export { labTest, type TestReport, type IntentOutcome, type FlowOutcome } from './runtime/test.ts';
export { labFail } from './runtime/fail.ts';
export { LabError, prerequisites, PACKAGES } from './runtime/system.ts';
export type { Convergence, SaState, BgpState } from './runtime/observe.ts';
export type * from './ir.ts';
