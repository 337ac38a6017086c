import type { IncomingMessage } from "node:http";

/**
 * Every JSON body Inkwell's own pages send is under 2 KB (a title of 200 characters, an email and a
 * role, a token's name); Better Auth's are as small. 64 KB leaves room for what an API script sends
 * and refuses what the review sent: 50 MB to `/api/auth/sign-out` was read in full before any route
 * looked at it, and five at once took the server's RSS from 604 to 1,048 MB.
 */
export const MAX_JSON_BODY_BYTES = 64 * 1024;

export interface BodyTooLarge {
  status: 413;
  code: "body-too-large";
  error: string;
  limit: number;
  /** What the request declared, or what had arrived when it went over the limit. */
  bytes: number;
}

function tooLarge(limit: number, bytes: number): BodyTooLarge {
  return { status: 413, code: "body-too-large", error: `The request body is larger than this server accepts here (${limit} bytes).`, limit, bytes };
}

/** The body arrived whole within the limit and can be read; or it is over the limit; or the client left. */
export type HeldBody = { outcome: "within" } | ({ outcome: "too-large" } & BodyTooLarge) | { outcome: "aborted" };

/** In HTTP/1.1 a request has a body only if it gives a length above zero or a transfer encoding. */
function hasBody(request: IncomingMessage): boolean {
  const length = request.headers["content-length"];
  return Boolean(request.headers["transfer-encoding"]) || (length !== undefined && length.trim() !== "0");
}

/**
 * Holds a request's body back until it has all arrived within `limit` bytes, and only then lets
 * anyone read it.
 *
 * A declared Content-Length above the limit is refused before a byte of the body is read. A body
 * streamed without one (chunked) is counted as the HTTP parser hands it over: `push` is the parser's
 * only way into the request stream, so nothing (Next, Better Auth, a route) can see a chunk before it
 * is counted. Must be called synchronously in the 'request' handler, before the parser delivers the
 * first chunk. At most `limit` bytes are ever held; past it, the rest is read and dropped, because a
 * server that closes a socket with unread bytes makes the kernel reset it, and the client then sees
 * ECONNRESET instead of the 413 (see lingerThenClose).
 */
export function holdBodyWithin(request: IncomingMessage, limit: number): Promise<HeldBody> {
  if (!hasBody(request) || request.complete) return Promise.resolve({ outcome: "within" });
  const declared = Number(request.headers["content-length"]);
  if (declared > limit) return Promise.resolve({ outcome: "too-large", ...tooLarge(limit, declared) });
  return new Promise((resolve) => {
    const push = request.push.bind(request);
    const held: Buffer[] = [];
    let received = 0;
    let settled = false;
    request.push = (chunk: Buffer | null): boolean => {
      if (chunk === null) {
        if (!settled) {
          // All of it arrived: hand it over as it came, and step out of the way.
          request.push = push;
          for (const part of held) push(part);
          resolve({ outcome: "within" });
        }
        settled = true;
        return push(null);
      }
      if (settled) return true; // over the limit: read and dropped, so the answer can be read (below)
      received += chunk.length;
      if (received > limit) {
        settled = true;
        held.length = 0;
        resolve({ outcome: "too-large", ...tooLarge(limit, received) });
        return true;
      }
      held.push(chunk);
      return true;
    };
    request.once("close", () => {
      if (settled) return;
      settled = true;
      held.length = 0;
      resolve({ outcome: "aborted" });
    });
  });
}

/**
 * After a 413: a client still sending its body gets a few seconds to read the answer and stop while
 * the rest is dropped, then the socket is closed (what nginx calls a lingering close). A client that
 * does stop keeps its connection.
 */
export function lingerThenClose(request: IncomingMessage, lingerMs = 3_000): void {
  if (request.complete) return;
  const timer = setTimeout(() => request.socket.destroy(), lingerMs);
  timer.unref();
  request.once("end", () => clearTimeout(timer));
  request.socket.once("close", () => clearTimeout(timer));
}
