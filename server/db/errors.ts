/**
 * Whether a database error means "the database is not reachable right now" (worth waiting out), as
 * opposed to one about the statement itself (a foreign key, say), which retrying cannot fix.
 */
const UNREACHABLE_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "57P01", "57P02", "57P03"]);
const UNREACHABLE_MESSAGES = /Connection terminated|connect ECONNREFUSED|terminating connection|Connection closed|DatabaseNotReachable|the database system is (starting up|shutting down)/i;

export function isDatabaseUnreachable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === "string" && (UNREACHABLE_CODES.has(code) || code.startsWith("08"))) return true;
    if (typeof message === "string" && UNREACHABLE_MESSAGES.test(message)) return true;
  }
  return false;
}
