import type { JSONContent } from "@tiptap/core";
import * as Y from "yjs";

/**
 * The difference between two moments of one document, as ProseMirror JSON a read-only editor can show.
 *
 * The caller rebuilds ONE `new Y.Doc({ gc: false })` holding everything up to the later moment (deleted
 * items keep their content because gc is off) and snapshots it at both moments. This walks the
 * fragment's item lists once, including deleted items, the way y-prosemirror renders a snapshot
 * (`createNodeFromYElement`, `YText.toDelta(snapshot, prevSnapshot)`), but into plain JSON so it needs
 * no schema and no editor on the server, and with formatting changes, which y-prosemirror does not mark.
 */

export interface DiffAttribution {
  /** The user who wrote under a Yjs client id (the client-id binding), or null if unknown. */
  insertedBy(client: number): string | null;
  /** The user whose change deleted the item (client, clock) between the two moments, or null. */
  deletedBy(client: number, clock: number): string | null;
}

export interface DiffResult {
  /** ProseMirror JSON of the later document, with deleted content put back where it was, and marks
   *  `inserted` / `deleted` / `formatted` (attrs { author: string | null }) on the changed text. */
  content: JSONContent;
  /** Everyone whose insertion, deletion or reformatting is marked in `content`. */
  authorIds: string[];
  /** Changed ranges marked in `content`: a range is a run of text changed the same way by one author. */
  changes: { insertions: number; deletions: number; formatting: number };
  /** True when maxChanges was reached: later insertions and formatting are shown unmarked, later
   *  deletions are left out (the document reads as it does at the later moment). */
  truncated: boolean;
}

export type DiffMarkName = "inserted" | "deleted" | "formatted";

/** The fragment TipTap's Collaboration extension writes into (its `field` option). */
export const CONTENT_FIELD = "default";

export const DEFAULT_MAX_CHANGES = 2_000;

export function diffSnapshots(
  doc: Y.Doc,
  from: Y.Snapshot,
  to: Y.Snapshot,
  attribution: DiffAttribution,
  options: { maxChanges?: number } = {},
): DiffResult {
  const walk = new DiffWalk(from, to, attribution, options.maxChanges ?? DEFAULT_MAX_CHANGES);
  let blocks: JSONContent[] = [];
  // Splitting items where a snapshot's state vector or delete set cuts through them needs a
  // transaction; its end merges the pieces back, so the document is left as it was. No content
  // changes, so no update is emitted.
  doc.transact((transaction) => {
    splitAtSnapshot(transaction, from);
    splitAtSnapshot(transaction, to);
    blocks = walk.children(doc.getXmlFragment(CONTENT_FIELD), "unchanged");
  }, "history-diff");
  // ProseMirror's doc needs at least one block; an empty editor holds one empty paragraph.
  if (blocks.length === 0) blocks = [{ type: "paragraph" }];
  return {
    content: { type: "doc", content: blocks },
    authorIds: [...walk.authors],
    changes: walk.changes,
    truncated: walk.truncated,
  };
}

/** Same as Yjs' internal isVisible (not exported): written before the moment and not deleted by it. */
function isVisible(item: Y.Item, snapshot: Y.Snapshot): boolean {
  const clock = snapshot.sv.get(item.id.client);
  return clock !== undefined && clock > item.id.clock && !Y.isDeleted(snapshot.ds, item.id);
}

/** Yjs' splitSnapshotAffectedStructs (not exported): afterwards every item is wholly before or after the moment, wholly deleted or not. */
function splitAtSnapshot(transaction: Y.Transaction, snapshot: Y.Snapshot): void {
  snapshot.sv.forEach((clock, client) => {
    if (clock < Y.getState(transaction.doc.store, client)) Y.getItemCleanStart(transaction, Y.createID(client, clock));
  });
  Y.iterateDeletedStructs(transaction, snapshot.ds, () => {});
}

/** How an item stands between the two moments. */
type Presence = "unchanged" | "inserted" | "deleted" | "absent";

interface Change {
  kind: DiffMarkName;
  author: string | null;
}

/** A mark's value as of one moment, with the format item that set it (value null: the mark was removed there). */
interface FormatState {
  value: unknown;
  item: Y.Item;
}

interface TextRun {
  text: string;
  marks: JSONContent["marks"] & object;
  change: Change | null;
}

/** y-tiptap names overlapping marks `name--<8 chars of hash>`; the mark is `name`. */
const HASHED_MARK_NAME = /^(.*)--[a-zA-Z0-9+/=]{8}$/;

class DiffWalk {
  readonly authors = new Set<string>();
  readonly changes = { insertions: 0, deletions: 0, formatting: 0 };
  truncated = false;
  private marked = 0;
  /** The change range being marked; text changed the same way right after it extends it. */
  private currentRange: Change | null = null;

  constructor(
    private readonly from: Y.Snapshot,
    private readonly to: Y.Snapshot,
    private readonly attribution: DiffAttribution,
    private readonly maxChanges: number,
  ) {}

  /** Children of the fragment or an element. Inside an inserted (deleted) element everything shown is inserted (deleted). */
  children(parent: Y.XmlFragment | Y.XmlElement, parentPresence: Presence): JSONContent[] {
    const nodes: JSONContent[] = [];
    for (let item = parent._start; item !== null; item = item.right) {
      if (!(item.content instanceof Y.ContentType)) continue; // ContentDeleted: content gone before this document was rebuilt
      const presence = this.presence(item, parentPresence);
      if (presence === "absent") continue;
      const type = item.content.type;
      // y-tiptap writes only elements and texts (it cannot read hooks either).
      if (type instanceof Y.XmlElement) {
        const element = this.element(type, presence);
        if (element) nodes.push(element);
      } else if (type instanceof Y.XmlText) {
        nodes.push(...this.text(type, presence));
      }
    }
    return nodes;
  }

  private presence(item: Y.Item, parentPresence: Presence): Presence {
    const inFrom = isVisible(item, this.from);
    const inTo = isVisible(item, this.to);
    if (parentPresence === "inserted") return inTo ? "inserted" : "absent";
    if (parentPresence === "deleted") return inFrom ? "deleted" : "absent";
    if (inFrom && inTo) return "unchanged";
    if (inTo) return "inserted";
    if (inFrom) return "deleted";
    return "absent"; // written and deleted between the moments: nobody ever saw it at either
  }

  private element(element: Y.XmlElement, presence: Presence): JSONContent | null {
    // Past the cap a deleted block is left out rather than shown as if it were still there.
    if (presence === "deleted" && this.truncated) return null;
    this.endRange();
    const attrs = element.getAttributes(presence === "deleted" ? this.from : this.to) as Record<string, unknown>;
    const node: JSONContent = { type: element.nodeName };
    if (Object.keys(attrs).length > 0) node.attrs = attrs;
    const content = this.children(element, presence);
    if (content.length > 0) node.content = content;
    this.endRange();
    return node;
  }

  private text(text: Y.XmlText, presence: Presence): JSONContent[] {
    this.endRange();
    const fromFormats = new Map<string, FormatState>();
    const toFormats = new Map<string, FormatState>();
    // Recomputed only after a format item, not per text item: 5,000 edits make tens of thousands of items.
    let fromMarks: TextRun["marks"] = [];
    let toMarks: TextRun["marks"] = [];
    let formatChange: Change | null = null;
    let formatsChanged = false;
    const runs: TextRun[] = [];

    for (let item = text._start; item !== null; item = item.right) {
      const content = item.content;
      if (content instanceof Y.ContentFormat) {
        if (isVisible(item, this.from)) fromFormats.set(content.key, { value: content.value, item });
        if (isVisible(item, this.to)) toFormats.set(content.key, { value: content.value, item });
        formatsChanged = true;
        continue;
      }
      if (!(content instanceof Y.ContentString)) continue; // y-tiptap puts only strings and formats in a text
      const itemPresence = this.presence(item, presence);
      if (itemPresence === "absent") continue;
      if (formatsChanged) {
        fromMarks = marksOf(fromFormats);
        toMarks = marksOf(toFormats);
        formatChange = this.formatChange(fromFormats, toFormats);
        formatsChanged = false;
      }
      if (itemPresence === "deleted") {
        this.pushDeleted(runs, item, content.str, fromMarks);
      } else if (itemPresence === "inserted") {
        const change: Change = { kind: "inserted", author: this.attribution.insertedBy(item.id.client) };
        this.push(runs, content.str, toMarks, change);
      } else {
        this.push(runs, content.str, toMarks, formatChange);
      }
    }
    this.endRange();
    return runs.map(toTextNode);
  }

  /** Different users may have deleted different parts of one item, so ask per character and split where the answer changes. */
  private pushDeleted(runs: TextRun[], item: Y.Item, str: string, marks: TextRun["marks"]): void {
    const { client, clock } = item.id;
    let start = 0;
    let author = this.attribution.deletedBy(client, clock);
    for (let offset = 1; offset <= str.length; offset++) {
      const next = offset < str.length ? this.attribution.deletedBy(client, clock + offset) : undefined;
      if (next === author) continue;
      this.push(runs, str.slice(start, offset), marks, { kind: "deleted", author });
      start = offset;
      author = next ?? null;
    }
  }

  private push(runs: TextRun[], str: string, marks: TextRun["marks"], change: Change | null): void {
    if (change && !this.admit(change)) {
      if (change.kind === "deleted") return;
      change = null;
    }
    if (!change) this.currentRange = null;
    const last = runs[runs.length - 1];
    if (last && last.marks === marks && sameChange(last.change, change)) last.text += str;
    else runs.push({ text: str, marks, change });
  }

  /** Counts a new range unless this change continues the current one; refuses once the cap is reached. */
  private admit(change: Change): boolean {
    if (this.currentRange && sameChange(this.currentRange, change)) return true;
    if (this.marked >= this.maxChanges) {
      this.truncated = true;
      this.currentRange = null;
      return false;
    }
    this.marked++;
    if (change.kind === "inserted") this.changes.insertions++;
    else if (change.kind === "deleted") this.changes.deletions++;
    else this.changes.formatting++;
    if (change.author !== null) this.authors.add(change.author);
    this.currentRange = change;
    return true;
  }

  private endRange(): void {
    this.currentRange = null;
  }

  /**
   * Text present at both moments is reformatted when any mark differs. The author is whoever deleted
   * the format item in force at the earlier moment, or else whoever wrote the one in force at the later.
   */
  private formatChange(fromFormats: Map<string, FormatState>, toFormats: Map<string, FormatState>): Change | null {
    for (const key of new Set([...fromFormats.keys(), ...toFormats.keys()])) {
      const before = fromFormats.get(key);
      const after = toFormats.get(key);
      if (sameValue(before?.value ?? null, after?.value ?? null)) continue;
      // If the earlier moment's format item is gone, its deleter changed the mark (Yjs deletes the
      // redundant items when bold is taken off; the item then in force may be an unrelated older
      // boundary, such as the end of someone else's bold further left). Otherwise it still stands, so
      // the item in force now lies after it and was written since.
      let author: string | null = null;
      if (before && !isVisible(before.item, this.to)) author = this.attribution.deletedBy(before.item.id.client, before.item.id.clock);
      else if (after && !isVisible(after.item, this.from)) author = this.attribution.insertedBy(after.item.id.client);
      return { kind: "formatted", author };
    }
    return null;
  }
}

function marksOf(formats: Map<string, FormatState>): TextRun["marks"] {
  const marks: TextRun["marks"] = [];
  for (const [key, { value }] of formats) {
    if (value === null || value === undefined) continue;
    const mark: { type: string; attrs?: Record<string, unknown> } = { type: HASHED_MARK_NAME.exec(key)?.[1] ?? key };
    // y-tiptap stores a mark's attrs as the value; older writers stored `true`.
    if (typeof value === "object" && Object.keys(value).length > 0) mark.attrs = { ...(value as Record<string, unknown>) };
    marks.push(mark);
  }
  return marks;
}

function toTextNode(run: TextRun): JSONContent {
  const marks = run.change ? [...run.marks, { type: run.change.kind, attrs: { author: run.change.author } }] : run.marks;
  return marks.length > 0 ? { type: "text", text: run.text, marks } : { type: "text", text: run.text };
}

function sameChange(a: Change | null, b: Change | null): boolean {
  return a === b || (a !== null && b !== null && a.kind === b.kind && a.author === b.author);
}

/** Mark values are JSON (attrs objects); `{}` and `true` both mean "on" with no attributes. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") {
    const on = (v: unknown) => v === true || (typeof v === "object" && v !== null && Object.keys(v).length === 0);
    return on(a) && on(b);
  }
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  if (aKeys.length !== bKeys.length) return false;
  return aKeys.every((key) => sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}
