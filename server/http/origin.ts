import type { IncomingHttpHeaders } from "node:http";

export interface OriginPolicy {
  appUrl?: string;
  allowedOrigins: string[];
}

/**
 * Whether a WebSocket upgrade may proceed, judged by its Origin header. Browsers always send one, so
 * a page on another site cannot ride a writer's session into the socket (cross-site WebSocket
 * hijacking). Programs (Node, curl) send none and are let through: they must still present a
 * collaboration token, which only the API hands out.
 */
export function checkOrigin(headers: IncomingHttpHeaders, policy: OriginPolicy): { allowed: true } | { allowed: false; reason: string } {
  const origin = headers.origin;
  if (!origin) {
    const looksLikeBrowser = /^Mozilla\//.test(headers["user-agent"] ?? "");
    return looksLikeBrowser ? { allowed: false, reason: "missing Origin from a browser" } : { allowed: true };
  }
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return { allowed: false, reason: `malformed Origin ${origin}` };
  }
  if (policy.allowedOrigins.includes(parsed.origin)) return { allowed: true };
  if (policy.appUrl) {
    return new URL(policy.appUrl).origin === parsed.origin ? { allowed: true } : { allowed: false, reason: `foreign Origin ${origin}` };
  }
  // Without APP_URL the app's own origin is whatever host the browser asked for.
  return parsed.host === headers.host ? { allowed: true } : { allowed: false, reason: `foreign Origin ${origin}` };
}
