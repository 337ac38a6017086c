import type { Extension, onChangePayload, onDisconnectPayload } from "@hocuspocus/server";
import type { Logger } from "pino";
import type { Versions } from "./versions.ts";

export interface AutoVersionTiming {
  /** A version after this long without a change. */
  quietMs: number;
  /** And at least this often while someone keeps typing. */
  maxEditingMs: number;
}

interface Editing {
  since: number;
  lastChange: number;
}

/**
 * Takes automatic versions of the documents open here: after a few minutes of quiet, when the last
 * writer leaves, and at least every ten minutes of continuous editing (skipped when nothing changed:
 * Versions.record). A change only notes the time (the hot path: one map write per update); a sweep a
 * few times a minute decides.
 */
export class AutoVersions implements Extension {
  extensionName = "AutoVersions";

  private readonly editing = new Map<string, Editing>();
  private readonly recording = new Map<string, Promise<void>>();
  private readonly sweep: ReturnType<typeof setInterval>;
  private stopped = false;

  constructor(
    private readonly versions: Versions,
    private readonly timing: AutoVersionTiming,
    private readonly logger: Logger,
  ) {
    this.sweep = setInterval(() => this.recordDue(), Math.max(250, Math.min(timing.quietMs, timing.maxEditingMs) / 4));
    this.sweep.unref();
  }

  async onChange({ documentName }: onChangePayload): Promise<void> {
    const now = Date.now();
    const editing = this.editing.get(documentName);
    if (editing) editing.lastChange = now;
    else this.editing.set(documentName, { since: now, lastChange: now });
  }

  /** The last writer left (viewers may stay): the moment they left is a version. */
  async onDisconnect({ documentName, document }: onDisconnectPayload): Promise<void> {
    if (!this.editing.has(documentName)) return;
    const writersLeft = document.getConnections().some((connection) => !connection.readOnly);
    if (!writersLeft) await this.record(documentName);
  }

  /** Stops sweeping, and records the documents edited since their last version (at shutdown). */
  async stop(): Promise<void> {
    clearInterval(this.sweep);
    this.stopped = true;
    await Promise.allSettled([...this.editing.keys()].map((documentName) => this.record(documentName, true)));
    await Promise.allSettled(this.recording.values());
  }

  private recordDue(): void {
    const now = Date.now();
    for (const [documentName, editing] of this.editing) {
      if (now - editing.lastChange >= this.timing.quietMs || now - editing.since >= this.timing.maxEditingMs) void this.record(documentName);
    }
  }

  private record(documentName: string, evenIfStopped = false): Promise<void> {
    if (this.stopped && !evenIfStopped) return Promise.resolve();
    const running = this.recording.get(documentName);
    if (running) return running;
    // Changes from here on belong to the next version.
    this.editing.delete(documentName);
    const recording = this.versions
      .record(documentName, "auto")
      .then(() => undefined)
      .catch((error) => {
        // Nothing is lost (the history holds every change); the next change will try again.
        this.logger.error({ documentName, err: error }, "automatic version failed");
        if (!this.editing.has(documentName)) this.editing.set(documentName, { since: Date.now(), lastChange: Date.now() });
      })
      .finally(() => this.recording.delete(documentName));
    this.recording.set(documentName, recording);
    return recording;
  }
}
