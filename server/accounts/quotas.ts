import type { DocumentStore } from "../documents/store.ts";
import type { Accounts } from "./accounts.ts";

const WINDOW_MS = 60_000;

/** A person makes a token or two a month; ten a minute is already a script. */
export const API_TOKENS_PER_MINUTE = 10;

export interface QuotaVerdict {
  allowed: boolean;
  /** Seconds until a retry can succeed, at most, for Retry-After. */
  retryAfterSeconds: number;
}

/**
 * How much one account may create per minute: documents (MAX_DOCUMENTS_PER_MINUTE) and API tokens.
 * A person makes a few documents an hour; the review's script made 300 documents in 2.2 s and 300
 * tokens in 1.3 s. Counted from the rows themselves, so a quota holds across every server process on
 * the database and needs no table of its own. Checked before the write, not with it: requests racing
 * at the limit can pass it by a few, which a rate limit may.
 */
export class CreationQuotas {
  constructor(
    private readonly store: DocumentStore,
    private readonly accounts: Accounts,
    private readonly documentsPerMinute: number,
  ) {}

  async mayCreateDocument(userId: string, now = Date.now()): Promise<QuotaVerdict> {
    return verdict(await this.store.createdBySince(userId, new Date(now - WINDOW_MS)), this.documentsPerMinute);
  }

  async mayCreateApiToken(userId: string, now = Date.now()): Promise<QuotaVerdict> {
    return verdict(await this.accounts.apiTokensCreatedSince(userId, new Date(now - WINDOW_MS)), API_TOKENS_PER_MINUTE);
  }
}

function verdict(made: number, perMinute: number): QuotaVerdict {
  return { allowed: made < perMinute, retryAfterSeconds: WINDOW_MS / 1000 };
}
