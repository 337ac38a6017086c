import { randomBytes } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { OriginPolicy } from "./origin.ts";

export interface HeaderPolicy extends OriginPolicy {
  /** Next's development server: React refresh evaluates code, so scripts need 'unsafe-eval'. */
  dev: boolean;
}

/** A Host header fit to be written into a CSP source: a name or an IP, and an optional port. */
const HOST = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * The headers every response carries (pages, the API, Better Auth, /healthz). The policy holds a
 * fresh nonce for the page's scripts; pass the same policy to Next as a request header.
 *
 * Scripts: a fresh nonce per response rather than 'unsafe-inline'. Next's app router bootstraps each
 * page with inline scripts (the flight data, `self.__next_f.push(…)`), and Next marks every script it
 * writes with the nonce it finds in the request's Content-Security-Policy header, the way its
 * middleware recipe passes it. Every page of ours is rendered per request (it reads the session), so
 * nothing prerendered goes out without the nonce; 'unsafe-inline' would let any injected inline
 * script run and make the policy worth little against XSS. 'self' covers the chunks loaded later.
 * Styles: 'unsafe-inline', because ProseMirror/TipTap and the collaboration carets write style
 * attributes and Next's development overlay injects <style>; a nonce would not cover attributes.
 * connect-src: 'self' plus the collaboration socket (and hot reload in development) as ws:/wss: on
 * the same host, spelled out because older browsers do not count ws: as 'self', plus ALLOWED_ORIGINS.
 * frame-ancestors 'self' (and X-Frame-Options for browsers without CSP 2): nobody frames the app
 * for now; embedding will widen it deliberately.
 */
export function securityHeaders(headers: IncomingHttpHeaders, policy: HeaderPolicy): Record<string, string> {
  const nonce = randomBytes(16).toString("base64");
  const host = policy.appUrl ? new URL(policy.appUrl).host : headers.host;
  const sockets = host && HOST.test(host) ? [`ws://${host}`, `wss://${host}`] : [];
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'${policy.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    ["connect-src 'self'", ...sockets, ...policy.allowedOrigins].join(" "),
    "frame-ancestors 'self'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join("; ");
  return {
    "content-security-policy": csp,
    "x-content-type-options": "nosniff",
    // Other sites learn our origin only, never a document's path; same-origin requests keep their
    // full Referer, which the origin check falls back on when a request has no Origin.
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-frame-options": "SAMEORIGIN",
  };
}
