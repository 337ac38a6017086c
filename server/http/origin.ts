import type { IncomingHttpHeaders } from "node:http";

export interface OriginPolicy {
  appUrl?: string;
  allowedOrigins: string[];
}

export type OriginVerdict = { allowed: true } | { allowed: false; reason: string };

/**
 * Whether `origin` (an Origin header, or the origin of a Referer) is the app's own or one of
 * ALLOWED_ORIGINS. The app's own origin is APP_URL's when it is set; without it, whatever host the
 * browser asked for (the Host header), which is what the loopback default means. The one judgement
 * that both the collaboration socket and state-changing HTTP requests rely on.
 */
export function judgeOrigin(origin: string, headers: IncomingHttpHeaders, policy: OriginPolicy): OriginVerdict {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    // Includes "null", which browsers send from sandboxed frames and opaque contexts.
    return { allowed: false, reason: `malformed Origin ${origin}` };
  }
  if (policy.allowedOrigins.includes(parsed.origin)) return { allowed: true };
  const own = policy.appUrl ? new URL(policy.appUrl).origin === parsed.origin : parsed.host === headers.host;
  return own ? { allowed: true } : { allowed: false, reason: `foreign Origin ${origin}` };
}

/**
 * Whether a WebSocket upgrade may proceed, judged by its Origin header. Browsers always send one, so
 * a page on another site cannot ride a writer's session into the socket (cross-site WebSocket
 * hijacking). Programs (Node, curl) send none and are let through: they must still present a
 * collaboration token, which only the API hands out.
 */
export function checkOrigin(headers: IncomingHttpHeaders, policy: OriginPolicy): OriginVerdict {
  const origin = headers.origin;
  if (!origin) {
    const looksLikeBrowser = /^Mozilla\//.test(headers["user-agent"] ?? "");
    return looksLikeBrowser ? { allowed: false, reason: "missing Origin from a browser" } : { allowed: true };
  }
  return judgeOrigin(origin, headers, policy);
}
