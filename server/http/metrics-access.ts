import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { clientAddress } from "./client-address.ts";

/**
 * Who may read /metrics. It shows when people type (commit counters), how many documents are open,
 * why connections were refused and which Node runs: not for the world. With METRICS_TOKEN set, a
 * scraper sends it as a bearer token, from anywhere; without it, only this machine may read (the
 * client's own address, so a proxy of ours on loopback does not open it to everyone behind it).
 */
export function mayReadMetrics(request: IncomingMessage, policy: { token?: string; trustedProxies: number }): boolean {
  if (policy.token) {
    const sent = request.headers.authorization?.match(/^bearer\s+(.+)$/i)?.[1]?.trim() ?? "";
    const expected = Buffer.from(policy.token);
    const given = Buffer.from(sent);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
  return isLoopback(clientAddress(request, policy.trustedProxies));
}

function isLoopback(address: string): boolean {
  return address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");
}
