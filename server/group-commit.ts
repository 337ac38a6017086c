import type { Bytes, UpdateRow } from "./documents.ts";

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
  readonly stats = { batches: 0, rows: 0 };

  constructor(
    private readonly write: (rows: UpdateRow[]) => Promise<void>,
    /** Told of every successful commit: how many rows, and how long it took. */
    private readonly onCommit: (rows: number, seconds: number) => void = () => {},
    private readonly maxBatchRows = 1_000,
  ) {}

  append(documentId: string, data: Bytes): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ row: { documentId, data }, resolve, reject });
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
        await this.commit(this.pending.splice(0, this.maxBatchRows));
      }
    } finally {
      this.draining = null;
    }
  }

  private async commit(batch: Pending[]): Promise<void> {
    const started = performance.now();
    try {
      await this.write(batch.map((item) => item.row));
      this.onCommit(batch.length, (performance.now() - started) / 1000);
      this.settle(batch);
    } catch (error) {
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
      // One document's failure (deleted while someone typed, say) must not fail everyone else's.
      await Promise.all(
        [...byDocument.values()].map((group) =>
          this.write(group.map((item) => item.row)).then(
            () => this.settle(group),
            (groupError) => this.settle(group, groupError),
          ),
        ),
      );
    }
  }

  private settle(batch: Pending[], error?: unknown): void {
    if (error === undefined) {
      this.stats.batches += 1;
      this.stats.rows += batch.length;
    }
    for (const item of batch) {
      if (error === undefined) item.resolve();
      else item.reject(error);
    }
  }
}
