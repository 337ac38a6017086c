// Placeholder until the diff work lands (server/history/diff.ts on its branch).
import type { JSONContent } from "@tiptap/core";
import type * as Y from "yjs";

export interface DiffAttribution {
  insertedBy(client: number): string | null;
  deletedBy(client: number, clock: number): string | null;
}

export interface DiffResult {
  content: JSONContent;
  authorIds: string[];
  changes: { insertions: number; deletions: number; formatting: number };
  truncated: boolean;
}

export function diffSnapshots(_doc: Y.Doc, _from: Y.Snapshot, _to: Y.Snapshot, _attribution: DiffAttribution, _options?: { maxChanges?: number }): DiffResult {
  throw new Error("not built yet");
}
