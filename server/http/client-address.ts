import type { IncomingMessage } from "node:http";

/** Where the web app hands the address computed here to the accounts library's rate limits. */
export const CLIENT_ADDRESS_HEADER = "x-inkwell-client-address";

/**
 * The address a request came from. X-Forwarded-For is believed only as far as TRUST_PROXY says there
 * are proxies of ours in front: each appends the address it saw, so the entry that many places from
 * the right is the last one no client could have written.
 */
export function clientAddress(request: IncomingMessage, trustedProxies: number): string {
  const socketAddress = request.socket.remoteAddress ?? "unknown";
  if (trustedProxies === 0) return socketAddress;
  const header = request.headers["x-forwarded-for"];
  const chain = (Array.isArray(header) ? header.join(",") : (header ?? ""))
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  return chain[chain.length - trustedProxies] ?? chain[0] ?? socketAddress;
}

/**
 * New connections per address: a bucket of `perMinute` that refills continuously, so a burst (a
 * reconnect storm after a restart) passes and a tight reconnect loop does not.
 */
export class ConnectionRateLimit {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly perMinute: number) {}

  take(address: string, now = Date.now()): boolean {
    const bucket = this.buckets.get(address) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + ((now - bucket.at) * this.perMinute) / 60_000);
    bucket.at = now;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.buckets.set(address, bucket);
    // Full buckets carry no information; dropping them keeps the map as small as the abuse.
    if (this.buckets.size > 10_000) {
      for (const [key, value] of this.buckets) if (value.tokens >= this.perMinute - 1) this.buckets.delete(key);
    }
    return allowed;
  }
}
