import { getSchema, type JSONContent } from "@tiptap/core";
import { TaskItem, TaskList } from "@tiptap/extension-list";
import StarterKit from "@tiptap/starter-kit";
import { updateYFragment, yXmlFragmentToProsemirrorJSON } from "@tiptap/y-tiptap";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { diffExtensions } from "../../app/d/[id]/history/diff-marks.ts";
import { diffSnapshots, type DiffAttribution } from "../../server/history/diff.ts";

const starterKit = { undoRedo: false as const, link: { openOnClick: false } };
/** The editor's schema: what writers type in. */
const editorSchema = getSchema([StarterKit.configure(starterKit), TaskList, TaskItem.configure({ nested: true })]);
/** The history viewer's schema: the same content plus the three diff marks, allowed in code too. */
const viewerSchema = getSchema([
  StarterKit.configure({ ...starterKit, code: false, codeBlock: false }),
  TaskList,
  TaskItem.configure({ nested: true }),
  ...diffExtensions([]),
]);

type Author = "ada" | "bob";

/**
 * Two writers, each with their own Y.Doc as in their browser, and the server's rebuilt history
 * document (gc off) that receives every update in order, as the lead's history store replays them.
 * Attribution comes from the updates themselves: a client id belongs to whoever sent it, a deletion
 * to whoever's update carried it.
 */
class Room {
  readonly history = new Y.Doc({ gc: false });
  private readonly writers: Record<Author, Y.Doc> = { ada: new Y.Doc(), bob: new Y.Doc() };
  private readonly owners = new Map<number, Author>();
  private readonly deletions: { author: Author; ds: ReturnType<typeof Y.decodeUpdate>["ds"] }[] = [];

  constructor() {
    for (const author of ["ada", "bob"] as const) this.owners.set(this.writers[author].clientID, author);
  }

  /** A change made in `author`'s editor, sent to the other writer and the server. */
  write(author: Author, change: (fragment: Y.XmlFragment, doc: Y.Doc) => void): void {
    const doc = this.writers[author];
    const updates: Uint8Array[] = [];
    const collect = (update: Uint8Array) => updates.push(update);
    doc.on("update", collect);
    doc.transact(() => change(doc.getXmlFragment("default"), doc));
    doc.off("update", collect);
    for (const update of updates) {
      this.deletions.push({ author, ds: Y.decodeUpdate(update).ds });
      for (const other of [this.writers.ada, this.writers.bob, this.history]) if (other !== doc) Y.applyUpdate(other, update);
    }
  }

  /** What the editor does on every keystroke: make the fragment match the new ProseMirror document. */
  type(author: Author, blocks: JSONContent[]): void {
    this.write(author, (fragment, doc) => {
      updateYFragment(doc, fragment, editorSchema.nodeFromJSON({ type: "doc", content: blocks }), { mapping: new Map(), isOMark: new Map() });
    });
  }

  moment(): Y.Snapshot {
    return Y.snapshot(this.history);
  }

  readonly attribution: DiffAttribution = {
    insertedBy: (client) => this.owners.get(client) ?? null,
    deletedBy: (client, clock) => this.deletions.find(({ ds }) => Y.isDeleted(ds, Y.createID(client, clock)))?.author ?? null,
  };

  diff(from: Y.Snapshot, to: Y.Snapshot, maxChanges?: number) {
    const result = diffSnapshots(this.history, from, to, this.attribution, { maxChanges });
    // Every diff must load in the history viewer: nodeFromJSON + check throw on anything the schema refuses.
    viewerSchema.nodeFromJSON(result.content).check();
    return result;
  }
}

const paragraph = (text: string): JSONContent => ({ type: "paragraph", content: [{ type: "text", text }] });

/** The paragraphs as [text, marks] pairs, marks written "name" or "name:author", to read in assertions. */
function runs(content: JSONContent): [string, string[]][][] {
  return (content.content ?? []).map((block) => textRuns(block));
}

function textRuns(node: JSONContent): [string, string[]][] {
  if (node.type === "text") {
    const marks = (node.marks ?? []).map((mark) => ("author" in (mark.attrs ?? {}) ? `${mark.type}:${mark.attrs?.author}` : mark.type));
    return [[node.text ?? "", marks]];
  }
  return (node.content ?? []).flatMap(textRuns);
}

/** The text of the first paragraph, for edits made straight on Yjs as a remote writer's would arrive. */
function firstText(fragment: Y.XmlFragment): Y.XmlText {
  return (fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText;
}

function allMarks(content: JSONContent): string[] {
  return textRuns(content).flatMap(([, marks]) => marks);
}

describe("diffSnapshots", () => {
  it("marks an insertion by Ada and a deletion by Bob with their names, and leaves the text between unmarked", () => {
    const room = new Room();
    room.type("ada", [paragraph("The original sentence.")]);
    const from = room.moment();
    room.type("bob", [paragraph("The sentence.")]);
    room.type("ada", [paragraph("The sentence. Ada was here.")]);

    const diff = room.diff(from, room.moment());

    expect(runs(diff.content)).toEqual([
      [
        ["The ", []],
        ["original ", ["deleted:bob"]],
        ["sentence.", []],
        [" Ada was here.", ["inserted:ada"]],
      ],
    ]);
    expect(diff.authorIds.sort()).toEqual(["ada", "bob"]);
    expect(diff.changes).toEqual({ insertions: 1, deletions: 1, formatting: 0 });
    expect(diff.truncated).toBe(false);
  });

  it("puts a deleted paragraph back where it was, marked deleted by whoever deleted it", () => {
    const room = new Room();
    room.type("ada", [paragraph("Keep me."), paragraph("Drop me."), paragraph("Keep me too.")]);
    const from = room.moment();
    room.type("bob", [paragraph("Keep me."), paragraph("Keep me too.")]);

    const diff = room.diff(from, room.moment());

    expect(runs(diff.content)).toEqual([[["Keep me.", []]], [["Drop me.", ["deleted:bob"]]], [["Keep me too.", []]]]);
    expect(diff.changes).toEqual({ insertions: 0, deletions: 1, formatting: 0 });
  });

  it("marks a new heading inserted and keeps its level", () => {
    const room = new Room();
    room.type("ada", [paragraph("Body.")]);
    const from = room.moment();
    room.type("bob", [{ type: "heading", attrs: { level: 2 }, content: [{ type: "text", text: "Title" }] }, paragraph("Body.")]);

    const diff = room.diff(from, room.moment());

    expect(diff.content.content?.[0]).toMatchObject({ type: "heading", attrs: { level: 2 } });
    expect(runs(diff.content)).toEqual([[["Title", ["inserted:bob"]]], [["Body.", []]]]);
  });

  it("marks bold added over existing text as formatted by whoever bolded it, and bold removed as formatted by whoever removed it", () => {
    const room = new Room();
    room.type("ada", [{ type: "paragraph", content: [{ type: "text", text: "Plain and " }, { type: "text", text: "strong", marks: [{ type: "bold" }] }] }]);
    const from = room.moment();
    // Bob bolds "Plain", Ada unbolds "strong".
    room.write("bob", (fragment) => firstText(fragment).format(0, 5, { bold: {} }));
    room.write("ada", (fragment) => firstText(fragment).format(10, 6, { bold: null }));

    const diff = room.diff(from, room.moment());

    expect(runs(diff.content)).toEqual([
      [
        ["Plain", ["bold", "formatted:bob"]],
        [" and ", []],
        ["strong", ["formatted:ada"]],
      ],
    ]);
    expect(diff.changes).toEqual({ insertions: 0, deletions: 0, formatting: 2 });
  });

  it("formats through the editor's own path (updateYFragment) are marked too, with the link's attributes kept", () => {
    const room = new Room();
    room.type("ada", [paragraph("See the docs.")]);
    const from = room.moment();
    const link = { type: "link", attrs: { href: "https://example.com", target: "_blank", rel: "noopener noreferrer nofollow", class: null } };
    room.type("bob", [{ type: "paragraph", content: [{ type: "text", text: "See the " }, { type: "text", text: "docs", marks: [link] }, { type: "text", text: "." }] }]);

    const diff = room.diff(from, room.moment());

    expect(runs(diff.content)[0]).toEqual([
      ["See the ", []],
      ["docs", ["link", "formatted:bob"]],
      [".", []],
    ]);
    const docs = textRunsWithAttrs(diff.content).find((node) => node.text === "docs");
    expect(docs?.marks?.[0]?.attrs?.href).toBe("https://example.com");
  });

  it("gives no changes and no marks for two identical moments, and the document as it is", () => {
    const room = new Room();
    room.type("ada", [paragraph("One."), { type: "bulletList", content: [{ type: "listItem", content: [paragraph("Two.")] }] }]);
    room.type("bob", [paragraph("One, changed."), { type: "bulletList", content: [{ type: "listItem", content: [paragraph("Two.")] }] }]);
    const moment = room.moment();

    const diff = room.diff(moment, moment);

    expect(diff.changes).toEqual({ insertions: 0, deletions: 0, formatting: 0 });
    expect(diff.authorIds).toEqual([]);
    expect(allMarks(diff.content)).toEqual([]);
    expect(viewerSchema.nodeFromJSON(diff.content).eq(editorSchemaDocIn(viewerSchema, room.history))).toBe(true);
  });

  it("leaves out text written and deleted again between the moments", () => {
    const room = new Room();
    room.type("ada", [paragraph("Stable.")]);
    const from = room.moment();
    room.type("bob", [paragraph("Stable. Typo")]);
    room.type("bob", [paragraph("Stable.")]);

    const diff = room.diff(from, room.moment());

    expect(runs(diff.content)).toEqual([[["Stable.", []]]]);
    expect(diff.changes).toEqual({ insertions: 0, deletions: 0, formatting: 0 });
  });

  it("splits one typed run deleted partly by Ada and partly by Bob between the two of them", () => {
    const room = new Room();
    room.type("ada", [paragraph("abcdefghij")]);
    const from = room.moment();
    room.write("ada", (fragment) => firstText(fragment).delete(0, 3)); // abc
    room.write("bob", (fragment) => firstText(fragment).delete(0, 3)); // def

    const diff = room.diff(from, room.moment());

    expect(runs(diff.content)).toEqual([
      [
        ["abc", ["deleted:ada"]],
        ["def", ["deleted:bob"]],
        ["ghij", []],
      ],
    ]);
  });

  it("marks changes inside a code block and a task item, and the result loads in the viewer's schema", () => {
    const room = new Room();
    const code = (text: string): JSONContent => ({ type: "codeBlock", attrs: { language: "js" }, content: [{ type: "text", text }] });
    const task = (checked: boolean, text: string): JSONContent => ({ type: "taskList", content: [{ type: "taskItem", attrs: { checked }, content: [paragraph(text)] }] });
    room.type("ada", [code("let x = 1"), task(false, "Ship it")]);
    const from = room.moment();
    room.type("bob", [code("let x = 2"), task(true, "Ship it now")]);

    const diff = room.diff(from, room.moment());

    expect(runs(diff.content)).toEqual([
      [
        ["let x = ", []],
        ["1", ["deleted:bob"]],
        ["2", ["inserted:bob"]],
      ],
      [
        ["Ship it", []],
        [" now", ["inserted:bob"]],
      ],
    ]);
    expect(diff.content.content?.[1]?.content?.[0]?.attrs).toMatchObject({ checked: true });
  });

  it("stops marking at maxChanges and says so: later insertions show unmarked, later deletions are left out", () => {
    const room = new Room();
    room.type("ada", [paragraph("0123456789")]);
    const from = room.moment();
    // Five separate insertions (after 1, 3, 5, 7, 9), then one deletion at the very end.
    for (const at of [10, 8, 6, 4, 2]) room.write("bob", (fragment) => firstText(fragment).insert(at, "+"));
    room.write("ada", (fragment) => firstText(fragment).delete(firstText(fragment).length - 2, 1)); // the original "9"

    const capped = room.diff(from, room.moment(), 3);

    expect(capped.truncated).toBe(true);
    expect(capped.changes).toEqual({ insertions: 3, deletions: 0, formatting: 0 });
    expect(allMarks(capped.content)).toEqual(["inserted:bob", "inserted:bob", "inserted:bob"]);
    expect(textRuns(capped.content).map(([text]) => text).join("")).toBe("01+23+45+67+8+");
    expect(capped.authorIds).toEqual(["bob"]);

    const full = room.diff(from, room.moment());
    expect(full.truncated).toBe(false);
    expect(full.changes).toEqual({ insertions: 5, deletions: 1, formatting: 0 });
  });

  it("diffs a 100,000-character document after 5,000 edits by two writers quickly", () => {
    const room = new Room();
    const random = seeded(42);
    room.type(
      "ada",
      Array.from({ length: 100 }, (_, index) => paragraph(`Paragraph ${index}. `.padEnd(1_000, "lorem ipsum dolor sit amet ").slice(0, 1_000))),
    );
    const from = room.moment();
    for (let edit = 0; edit < 5_000; edit++) {
      const author: Author = edit % 2 === 0 ? "ada" : "bob";
      room.write(author, (fragment) => {
        const text = (fragment.get(Math.floor(random() * fragment.length)) as Y.XmlElement).get(0) as Y.XmlText;
        const at = Math.floor(random() * (text.length - 10));
        const roll = random();
        if (roll < 0.5) text.insert(at, "new words ");
        else if (roll < 0.85) text.delete(at, 1 + Math.floor(random() * 8));
        else text.format(at, 5, { italic: {} });
      });
    }
    const to = room.moment();

    // Timed without the schema check room.diff adds; the test's deletedBy scans every update, so the
    // figure is an upper bound for the history store's indexed one.
    const capped = timed(() => diffSnapshots(room.history, from, to, room.attribution));
    const full = timed(() => diffSnapshots(room.history, from, to, room.attribution, { maxChanges: Infinity }));
    viewerSchema.nodeFromJSON(full.result.content).check();
    const walkOnly = timed(() => diffSnapshots(room.history, from, to, { insertedBy: () => "ada", deletedBy: () => "bob" }, { maxChanges: Infinity }));
    console.log(
      `diff of 100k characters after 5,000 edits: ${capped.ms.toFixed(0)} ms capped at 2,000 changes, ` +
        `${full.ms.toFixed(0)} ms for all ${JSON.stringify(full.result.changes)}, ${walkOnly.ms.toFixed(0)} ms of it the walk itself`,
    );

    expect(capped.result.truncated).toBe(true);
    expect(full.result.truncated).toBe(false);
    expect(full.result.changes.insertions + full.result.changes.deletions + full.result.changes.formatting).toBeGreaterThan(2_000);
    // The history store's answer must feel immediate; the figure above is what it measured.
    expect(full.ms).toBeLessThan(2_000);
  });
});

function textRunsWithAttrs(node: JSONContent): JSONContent[] {
  return node.type === "text" ? [node] : (node.content ?? []).flatMap(textRunsWithAttrs);
}

/** The document the history doc holds right now, as y-tiptap itself reads it. */
function editorSchemaDocIn(schema: typeof viewerSchema, doc: Y.Doc) {
  return schema.nodeFromJSON(yXmlFragmentToProsemirrorJSON(doc.getXmlFragment("default")));
}

function timed<T>(run: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = run();
  return { result, ms: performance.now() - start };
}

/** mulberry32: the same edits on every run. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
