import type { Logger } from "pino";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { documentsToThin, thinHistory } from "../documents/history-store.ts";

/** Often enough that no day waits long past its cutoff; the work is a few queries when nothing is due. */
const EVERY_MS = 6 * 60 * 60 * 1000;

/**
 * HISTORY_RETENTION_DAYS: automatic history older than that is thinned to one moment per day, in
 * the background, a document at a time, with its progress logged. Named versions (and the moments
 * before restores and imports) are kept whole. Answers a function that stops it.
 */
export function startRetention(prisma: PrismaClient, days: number, logger: Logger): () => Promise<void> {
  let running: Promise<void> | null = null;
  let stopped = false;
  const run = async () => {
    const cutoff = new Date(Date.now() - days * 86_400_000);
    const documents = await documentsToThin(prisma, cutoff);
    if (documents.length === 0) return;
    logger.info({ documents: documents.length, cutoff }, "history retention: thinning history older than the cutoff");
    let done = 0;
    let merged = 0;
    for (const documentId of documents) {
      if (stopped) break;
      try {
        merged += await thinHistory(prisma, documentId, cutoff);
      } catch (error) {
        // Skipped, not lost: thinning only ever merges, and the next run tries again.
        logger.error({ err: error, documentId }, "history retention: thinning a document failed");
      }
      done += 1;
      if (done % 50 === 0 || done === documents.length) logger.info({ done, of: documents.length, windowsMerged: merged }, `history retention: ${done} of ${documents.length} documents`);
    }
  };
  const tick = () => {
    running ??= run()
      .catch((error) => logger.error({ err: error }, "history retention run failed"))
      .finally(() => (running = null));
  };
  const timer = setInterval(tick, EVERY_MS);
  timer.unref();
  // Not at the very start: the server first serves the people waiting for it.
  const first = setTimeout(tick, 30_000);
  first.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    clearTimeout(first);
    await running;
  };
}
