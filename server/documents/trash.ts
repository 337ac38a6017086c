import type { Logger } from "pino";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { isDocumentId } from "./document-id.ts";

/**
 * The trash: a deleted document keeps its row, and so its content, history, versions and sharing,
 * for `days` (TRASH_DAYS), then it is purged, and everything that hangs off it with it (every table
 * holding a document's rows cascades from documents). Who may see or touch a trashed document is
 * decided by server/accounts/access.ts; this module only moves documents in and out.
 */

const DAY_MS = 86_400_000;

export interface TrashedDocument {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
  deletedAt: string;
  /** Who moved it to the trash; null once that account is gone. */
  deletedBy: { id: string; name: string } | null;
  /** When it will be deleted for good. */
  purgeAt: string;
}

export interface TrashedState {
  id: string;
  deletedAt: string;
  purgeAt: string;
}

export class Trash {
  constructor(
    private readonly prisma: PrismaClient,
    /** TRASH_DAYS */
    readonly days: number,
  ) {}

  purgeAtOf(deletedAt: Date): Date {
    return new Date(deletedAt.getTime() + this.days * DAY_MS);
  }

  /** Moves a live document to the trash; null if there is no such document or it is there already. */
  async moveToTrash(id: string, userId: string): Promise<TrashedState | null> {
    if (!isDocumentId(id)) return null;
    const deletedAt = new Date();
    const { count } = await this.prisma.document.updateMany({ where: { id, deletedAt: null }, data: { deletedAt, deletedById: userId } });
    return count === 0 ? null : { id, deletedAt: deletedAt.toISOString(), purgeAt: this.purgeAtOf(deletedAt).toISOString() };
  }

  /** Takes a document out of the trash, as it was; false if it was not in the trash. */
  async restore(id: string): Promise<boolean> {
    if (!isDocumentId(id)) return false;
    const { count } = await this.prisma.document.updateMany({ where: { id, deletedAt: { not: null } }, data: { deletedAt: null, deletedById: null } });
    return count > 0;
  }

  /** Deletes a document for good, in the trash or not, with everything that cascades from it. */
  async deleteForever(id: string): Promise<boolean> {
    if (!isDocumentId(id)) return false;
    const { count } = await this.prisma.document.deleteMany({ where: { id } });
    return count > 0;
  }

  /** The given documents that are in the trash, most recently deleted first. */
  async list(ids: string[]): Promise<TrashedDocument[]> {
    if (ids.length === 0) return [];
    const rows = await this.prisma.document.findMany({
      where: { id: { in: ids }, deletedAt: { not: null } },
      select: { id: true, title: true, createdAt: true, updatedAt: true, deletedAt: true, deletedById: true },
      orderBy: [{ deletedAt: "desc" }, { id: "asc" }],
    });
    const deleterIds = [...new Set(rows.map((row) => row.deletedById).filter((id): id is string => id !== null))];
    const deleters = new Map(
      (await this.prisma.user.findMany({ where: { id: { in: deleterIds } }, select: { id: true, name: true } })).map((user) => [user.id, user]),
    );
    return rows.map((row) => ({
      id: row.id,
      title: row.title,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      deletedAt: row.deletedAt!.toISOString(),
      deletedBy: (row.deletedById && deleters.get(row.deletedById)) || null,
      purgeAt: this.purgeAtOf(row.deletedAt!).toISOString(),
    }));
  }

  /** Deletes for good every document that went to the trash more than TRASH_DAYS ago; answers how many. */
  async purgeExpired(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.days * DAY_MS);
    const { count } = await this.prisma.document.deleteMany({ where: { deletedAt: { lt: cutoff } } });
    return count;
  }
}

/** Often enough that nothing outlives its TRASH_DAYS by much; one indexed DELETE when nothing is due. */
const EVERY_MS = 60 * 60 * 1000;
/** Soon after start too, so a server restarted more often than hourly still purges. */
const FIRST_RUN_MS = 2_000;

/**
 * Purges the trash in the background, now and then, logging how many documents went. Run by the
 * process serving the web app; two processes purging at once only delete the same rows. Answers a
 * function that stops it.
 */
export function startTrashPurge(trash: Trash, logger: Logger): () => Promise<void> {
  let running: Promise<void> | null = null;
  const run = async () => {
    const purged = await trash.purgeExpired();
    if (purged > 0) logger.info({ purged, trashDays: trash.days }, `trash: purged ${purged} document${purged === 1 ? "" : "s"} deleted more than ${trash.days} days ago`);
  };
  const tick = () => {
    // Kept for the next run: the documents stay in the trash, not visible to anyone, until it succeeds.
    running ??= run()
      .catch((error) => logger.error({ err: error, trashDays: trash.days }, "trash: purge failed; it is tried again within the hour"))
      .finally(() => (running = null));
  };
  const timer = setInterval(tick, EVERY_MS);
  timer.unref();
  const first = setTimeout(tick, FIRST_RUN_MS);
  first.unref();
  return async () => {
    clearInterval(timer);
    clearTimeout(first);
    await running;
  };
}
