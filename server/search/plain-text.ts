import * as Y from "yjs";

/** The Y.XmlFragment the editor keeps a document's body in (editor/extensions.ts: field 'default'). */
export const EDITOR_FIELD = "default";

/**
 * The most of a document's text that is indexed. A tsvector's words may take at most 1 MB (1,000,000
 * characters of distinct random words failed: "string is too long for tsvector"), and, the index
 * being a generated column, that error would fail the compaction's UPDATE itself. 250,000 UTF-16
 * characters are at most 750 KB of UTF-8, so no text of that length can overflow it (random
 * two-character CJK words, the worst measured, made 1.17 MB with positions and still passed);
 * about 100 pages. The rest of a longer document is not searchable.
 */
export const MAX_INDEXED_CHARACTERS = 250_000;

/**
 * The document's text, each block (paragraph, heading, list item, cell…) on a line of its own, read
 * straight from the Yjs structure: no editor schema needed. Formatting is left out, embeds too.
 * Cut at MAX_INDEXED_CHARACTERS; NUL characters become spaces.
 *
 * Cost: 0.3 to 0.5 ms for a 100,000-character document of 2,000 paragraphs (median of 50 runs after
 * warm-up, tests/unit/plain-text.test.ts prints it); it walks Yjs's item list, since building each
 * text's delta (toDelta()) took twice as long.
 */
export function plainTextOf(doc: Y.Doc): string {
  const parts: string[] = [];
  let length = 0;
  let atLineStart = true;
  const newline = () => {
    if (atLineStart) return;
    parts.push("\n");
    length += 1;
    atLineStart = true;
  };
  const walk = (node: Y.XmlFragment | Y.XmlElement | Y.XmlText | Y.XmlHook): boolean => {
    if (node instanceof Y.XmlText) {
      for (let item = node._start; item !== null; item = item.right) {
        if (item.deleted || !(item.content instanceof Y.ContentString)) continue;
        const text = item.content.str;
        parts.push(text);
        length += text.length;
        if (text.length > 0) atLineStart = false;
        if (length >= MAX_INDEXED_CHARACTERS) return false;
      }
      return true;
    }
    // Y.XmlHook, which the editor never writes, holds no text.
    if (!(node instanceof Y.XmlFragment)) return true;
    // An element is a block, or an inline node such as a hard break: either way a line boundary.
    const isElement = node instanceof Y.XmlElement;
    if (isElement) newline();
    for (let child = node.firstChild; child !== null; child = child.nextSibling) {
      if (!walk(child)) return false;
    }
    if (isElement) newline();
    return true;
  };
  const body = editorBodyOf(doc);
  if (body) walk(body);
  // Postgres text cannot hold U+0000 (the UPDATE would fail, and the compaction with it); any client
  // may type one.
  return parts.join("").slice(0, MAX_INDEXED_CHARACTERS).replaceAll("\u0000", " ").trimEnd();
}

/** The editor's fragment; null when a client stored something else under its name (nothing to index). */
function editorBodyOf(doc: Y.Doc): Y.XmlFragment | null {
  try {
    return doc.getXmlFragment(EDITOR_FIELD);
  } catch {
    // Yjs refuses to read a field defined with another type ("different constructor"): that is a
    // document no editor wrote, and its search text is empty rather than its compaction failing.
    return null;
  }
}
