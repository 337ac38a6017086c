import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { judgeOrigin, type OriginPolicy } from "./origin.ts";
import { isUploadMediaType, isUploadRoute } from "./uploads.ts";

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export interface Refusal {
  status: 403 | 415;
  code: "foreign-origin" | "missing-origin" | "unsupported-media-type";
  error: string;
}

/**
 * The request-level policy every state-changing request passes before Next sees it, so pages, the
 * JSON API and Better Auth's /api/auth/* are covered alike. Answers the refusal, or undefined.
 *
 * 1. Cookie-authenticated requests must come from the app's own origin or ALLOWED_ORIGINS.
 *    SameSite=Lax is not enough: a sibling subdomain (evil.example.com beside docs.example.com) is
 *    the same site, so its pages' requests carry the session cookie. The Origin header decides, or
 *    without one the Referer's origin (Referrer-Policy strict-origin-when-cross-origin keeps that).
 *    With neither, the request is refused: browsers send Origin on every POST, PUT, PATCH and DELETE
 *    (fetch or form, same-origin too), so only a program can omit both, and a program should
 *    authenticate with an API token instead of a cookie. Better Auth applies the same rule.
 *    "Cookie-authenticated" means any Cookie header, as Better Auth counts it: which cookies
 *    authenticate is Better Auth's business, and every cookie is ambient to the browser.
 *    A bearer token exempts the request: a page cannot make a browser attach an Authorization
 *    header across origins without a CORS preflight, which Inkwell never grants.
 * 2. A body sent to /api/* must be declared as JSON. A form on another site can post text/plain or
 *    urlencoded bodies without a preflight; application/json cannot be sent that way. The routes
 *    read JSON whatever the content-type says, so without this, such a body would be accepted.
 *    The two upload routes (uploads.ts) also take the file types they import; rule 1 covers them.
 */
export function refuseRequest(request: IncomingMessage, policy: OriginPolicy): Refusal | undefined {
  if (!STATE_CHANGING.has(request.method ?? "")) return undefined;
  const { headers } = request;
  if (headers.cookie && !hasBearerToken(headers)) {
    const origin = headers.origin || refererOrigin(headers.referer);
    if (!origin) {
      return {
        status: 403,
        code: "missing-origin",
        error: "A signed-in request that changes something must say where it comes from (Origin or Referer). Scripts should send Authorization: Bearer <API token> instead of a cookie.",
      };
    }
    if (!judgeOrigin(origin, headers, policy).allowed) {
      return {
        status: 403,
        code: "foreign-origin",
        error: `Requests that change something must come from Inkwell's own pages, not from ${origin}. Scripts should send Authorization: Bearer <API token>.`,
      };
    }
  }
  const upload = isUploadRoute(request.method, request.url) && isUploadMediaType(headers["content-type"]);
  if (isApiPath(request.url) && hasBody(headers) && !isJson(headers["content-type"]) && !upload) {
    return { status: 415, code: "unsupported-media-type", error: "Send the body as JSON, with content-type: application/json." };
  }
  return undefined;
}

/** The same test as the API's principal (server/wiring.ts): a bearer token is what authenticates. */
function hasBearerToken(headers: IncomingHttpHeaders): boolean {
  return headers.authorization?.toLowerCase().startsWith("bearer ") ?? false;
}

/** The Referer's origin; a malformed one is passed on as it is, for judgeOrigin to refuse. */
function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return referer;
  }
}

function isApiPath(url: string | undefined): boolean {
  const path = (url ?? "/").split("?")[0];
  return path === "/api" || path.startsWith("/api/");
}

/** In HTTP/1.1 a request has a body only if it gives a length above zero or a transfer encoding. */
function hasBody(headers: IncomingHttpHeaders): boolean {
  if (headers["transfer-encoding"]) return true;
  const length = headers["content-length"];
  return length !== undefined && length.trim() !== "0";
}

function isJson(contentType: string | undefined): boolean {
  // application/json; charset=utf-8 and the like: parameters do not change the media type.
  return contentType?.split(";")[0].trim().toLowerCase() === "application/json";
}

/** Where a refused request went, for the log: no query string, and no share-link token (it grants access). */
export function loggedPath(url: string | undefined): string {
  return (url ?? "/").split("?")[0].replace(/\/join\/[^/]+/, "/join/…");
}
