/**
 * Whether a database error means "the database is not reachable right now" (worth waiting out), as
 * opposed to one about the statement itself (a foreign key, say), which retrying cannot fix.
 */
const UNREACHABLE_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "57P01", "57P02", "57P03"]);
// Prisma's driver adapters report the driver's trouble as a `kind`.
const UNREACHABLE_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout"]);
const UNREACHABLE_MESSAGES = /Connection terminated|connect ECONNREFUSED|terminating connection|Connection closed|DatabaseNotReachable|Can't reach database server|the database system is (starting up|shutting down)/i;

type ErrorLike = { code?: unknown; message?: unknown; kind?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };

export function isDatabaseUnreachable(error: unknown): boolean {
  // Follows `cause`, and for raw queries (P2010) the adapter error Prisma keeps in `meta`.
  const queue: unknown[] = [error];
  for (let seen = 0; queue.length > 0 && seen < 10; seen++) {
    const current = queue.shift() as ErrorLike | null | undefined;
    if (!current || typeof current !== "object") continue;
    const { code, message, kind } = current;
    if (typeof code === "string" && (UNREACHABLE_CODES.has(code) || code.startsWith("08"))) return true;
    if (typeof kind === "string" && UNREACHABLE_KINDS.has(kind)) return true;
    if (typeof message === "string" && UNREACHABLE_MESSAGES.test(message)) return true;
    queue.push(current.cause, current.meta?.driverAdapterError);
  }
  return false;
}
