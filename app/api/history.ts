import type { Logger } from "pino";
import { z } from "zod";
import { isHistoryError } from "../../server/history/history-error";
import { type MomentRef, parseMomentRef } from "../../server/history/moment-ref";
import { errorResponse } from "./request";

export const versionNameBody = z.object(
  { name: z.string({ error: "name must be a string" }).trim().min(1, "name must not be empty").max(100, "name must be at most 100 characters") },
  { error: "body must be a JSON object" },
);

/**
 * A HistoryError (or an import's refusal) as the answer it stands for, logged with who asked and
 * what about; anything else is rethrown (and answered 500 by handle()).
 */
export function historyFailure(error: unknown, log: { logger: Logger; context: Record<string, unknown> }): Response {
  if (isHistoryError(error)) {
    log.logger.info({ ...log.context, status: error.status, reason: error.message }, "history request refused");
    return errorResponse(error.status, error.message);
  }
  const refusal = error as { answersWith?: string; status?: number; code?: string; message?: string; cause?: unknown };
  if (refusal?.answersWith === "import-error" && refusal.status) {
    log.logger.info({ ...log.context, status: refusal.status, code: refusal.code, cause: String(refusal.cause ?? "") }, "import refused");
    return Response.json({ error: refusal.message, code: refusal.code }, { status: refusal.status });
  }
  throw error;
}

/** A query parameter naming a moment: a version id or a full ISO 8601 date and time; absent is fine. */
export function momentParam(query: URLSearchParams, key: string): { ref?: MomentRef } | { response: Response } {
  const value = query.get(key);
  if (!value) return {};
  const ref = parseMomentRef(value);
  if (!ref) return { response: errorResponse(400, `${key} must be a version id or an ISO 8601 date and time such as 2026-12-01T09:30:00Z`) };
  return { ref };
}
