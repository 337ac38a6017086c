import type { Logger } from "pino";
import * as Y from "yjs";
import { applyStored, DocumentStore } from "../documents/store.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { plainTextOf } from "./plain-text.ts";

export interface SearchBackfill {
  /** Resolves when every document has been looked at, or the job has stopped. */
  finished: Promise<void>;
  /** Stops after the document at hand (before the database closes); resolves once it has. */
  stop(): Promise<void>;
}

const count = (n: number) => n.toLocaleString("en-US");

/**
 * Indexes, in the background, the documents whose text search has never seen (content_text NULL:
 * those from before search existed, and new ones not compacted yet), a batch at a time in id order,
 * so a document that fails (logged with its id) is skipped rather than tried forever. Compaction
 * keeps the rest current; a row it indexed meanwhile is never overwritten (IS NULL in the UPDATE).
 * Runs in every process on the database; two of them at once only do the same work.
 */
export function startSearchBackfill(prisma: PrismaClient, logger: Logger, batchSize = 50): SearchBackfill {
  const store = new DocumentStore(prisma);
  let stopped = false;

  const indexOne = async (id: string): Promise<void> => {
    const stored = await store.read(id);
    // Deleted since the batch was read.
    if (!stored) return;
    const doc = new Y.Doc({ gc: true });
    try {
      applyStored(doc, stored);
      await prisma.$executeRaw`UPDATE documents SET content_text = ${plainTextOf(doc)} WHERE id = ${id}::uuid AND content_text IS NULL`;
    } finally {
      doc.destroy();
    }
  };

  const run = async (): Promise<void> => {
    const [{ total }] = await prisma.$queryRaw<{ total: number }[]>`SELECT count(*)::int AS total FROM documents WHERE content_text IS NULL`;
    if (total === 0) return;
    const started = performance.now();
    logger.info({ documents: total }, `search index: indexing ${count(total)} documents`);
    let done = 0;
    let failed = 0;
    let after = "00000000-0000-0000-0000-000000000000";
    while (!stopped) {
      const batch = await prisma.$queryRaw<{ id: string }[]>`
        SELECT id FROM documents WHERE content_text IS NULL AND id > ${after}::uuid ORDER BY id LIMIT ${batchSize}`;
      if (batch.length === 0) break;
      for (const { id } of batch) {
        if (stopped) break;
        try {
          await indexOne(id);
        } catch (error) {
          failed += 1;
          logger.error({ documentId: id, err: error }, "search index: document skipped, its text could not be read");
        }
        done += 1;
      }
      after = batch[batch.length - 1].id;
      // Documents created meanwhile may make done pass the first count.
      logger.info({ done, total, failed }, `search index: ${count(done)} of ${count(Math.max(total, done))} documents`);
      // On PGlite the database runs on this thread: let requests through between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
    logger.info({ done, failed, ms: Math.round(performance.now() - started), stopped }, stopped ? "search index: backfill stopped, it resumes at the next start" : "search index: backfill done");
  };

  const finished = run().catch((error) => {
    // The database went away, say: what is not indexed yet is picked up at the next start.
    logger.error({ err: error }, "search index: backfill failed; documents not indexed yet are retried at the next start");
  });
  return {
    finished,
    stop: async () => {
      stopped = true;
      await finished;
    },
  };
}
