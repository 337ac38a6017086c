import type { DocumentStore } from "../documents/store.ts";

const WINDOW_MS = 60_000;

export interface QuotaVerdict {
  allowed: boolean;
  /** Seconds until a retry can succeed, for Retry-After. */
  retryAfterSeconds: number;
}

/**
 * How much one account may create per minute (MAX_DOCUMENTS_PER_MINUTE). A person makes a few
 * documents an hour; the review's script made 300 in 2.2 s. Counted from the rows themselves, so the
 * quota holds across every server process on the database and needs no table of its own. Checked
 * before the write, not with it: requests racing at the limit can pass it by a few, which a rate
 * limit may.
 */
export class CreationQuotas {
  constructor(
    private readonly store: DocumentStore,
    private readonly documentsPerMinute: number,
  ) {}

  async mayCreateDocument(userId: string, now = Date.now()): Promise<QuotaVerdict> {
    const made = await this.store.createdBySince(userId, new Date(now - WINDOW_MS));
    return { allowed: made < this.documentsPerMinute, retryAfterSeconds: Math.ceil(WINDOW_MS / 1000) };
  }
}
