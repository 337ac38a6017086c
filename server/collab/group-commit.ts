import type { Bytes, UpdateRow } from "../documents/store.ts";

interface Pending {
  row: UpdateRow;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for the update log: every append waits for a database commit, but appends that arrive
 * while a commit is in flight share the next one, so a busy server makes one multi-row INSERT per
 * round trip instead of one per keystroke.
 */
export class GroupCommit {
  private pending: Pending[] = [];
  private draining: Promise<void> | null = null;

  constructor(
    private readonly write: (rows: UpdateRow[]) => Promise<void>,
    private readonly options: {
      /** Told of every successful commit: how many rows, and how long it took. */
      onCommit?: (rows: number, seconds: number) => void;
      /** Errors that mean "wait and try again" rather than "this batch is wrong". */
      isUnreachable?: (error: unknown) => boolean;
      onUnreachable?: (error: unknown) => void;
      onRecovered?: (attempts: number) => void;
      maxBatchRows?: number;
    } = {},
  ) {}

  private onCommit(rows: number, seconds: number): void {
    this.options.onCommit?.(rows, seconds);
  }

  private isUnreachable(error: unknown): boolean {
    return this.options.isUnreachable?.(error) ?? false;
  }

  private onUnreachable(error: unknown): void {
    this.options.onUnreachable?.(error);
  }

  private onRecovered(attempts: number): void {
    this.options.onRecovered?.(attempts);
  }

  /** Resolves once the update is committed; `authorId` is who sent it, kept in the history. */
  append(documentId: string, data: Bytes, authorId: string | null = null): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ row: { documentId, data, authorId }, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  /** Resolves once everything appended so far is committed (or has failed). */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      // Frames that arrive in the same turn of the event loop share the first batch.
      await new Promise((resolve) => setImmediate(resolve));
      while (this.pending.length > 0) {
        await this.commit(this.pending.splice(0, this.options.maxBatchRows ?? 1_000));
      }
    } finally {
      this.draining = null;
    }
  }

  /**
   * Commits a batch, waiting out a database that cannot be reached (the frames stay unacknowledged,
   * so writers see "Saving..." and keep their edits) and failing fast on any other error.
   */
  private async commit(batch: Pending[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const started = performance.now();
      try {
        await this.write(batch.map((item) => item.row));
        this.onCommit(batch.length, (performance.now() - started) / 1000);
        if (attempt > 0) this.onRecovered(attempt);
        this.settle(batch);
        return;
      } catch (error) {
        if (this.isUnreachable(error)) {
          if (attempt === 0) this.onUnreachable(error);
          await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** attempt, 2_000)));
          continue;
        }
        await this.commitPerDocument(batch, error);
        return;
      }
    }
  }

  /** One document's failure (deleted while someone typed, say) must not fail everyone else's. */
  private async commitPerDocument(batch: Pending[], error: unknown): Promise<void> {
    const byDocument = new Map<string, Pending[]>();
    for (const item of batch) {
      const group = byDocument.get(item.row.documentId);
      if (group) group.push(item);
      else byDocument.set(item.row.documentId, [item]);
    }
    if (byDocument.size === 1) {
      this.settle(batch, error);
      return;
    }
    await Promise.all([...byDocument.values()].map((group) => this.commit(group)));
  }

  private settle(batch: Pending[], error?: unknown): void {
    for (const item of batch) {
      if (error === undefined) item.resolve();
      else item.reject(error);
    }
  }
}
