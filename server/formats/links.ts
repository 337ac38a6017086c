import type { JSONContent } from "@tiptap/core";

/**
 * Link schemes a document may keep. Anything else (javascript:, data:, vbscript:, file:, …) is a
 * way to run or smuggle something through a click, so the link mark is dropped and its text kept.
 */
const SAFE_SCHEMES = new Set(["http", "https", "mailto"]);

/**
 * What a browser would read as the link's scheme. Browsers drop tabs, newlines and leading control
 * characters from URLs ("java\tscript:" runs), and HTML decodes entities in attributes
 * ("jav&#x61;script:" too), so both are undone before looking.
 */
function schemeOf(href: string): string | null {
  const decoded = href
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16) % 0x110000))
    .replace(/&#(\d+);?/g, (_, decimal: string) => String.fromCodePoint(Number(decimal) % 0x110000))
    .replace(/&colon;/gi, ":")
    .replace(/&(tab|newline);/gi, "")
    // Control characters and whitespace anywhere: browsers strip or ignore them when reading a scheme.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0020\u007f-\u009f]/g, "");
  const match = /^([^/?#]*?):/.exec(decoded);
  return match ? match[1].toLowerCase() : null;
}

/** The href if a click on it can only navigate (http(s), mailto or a relative address), else null. */
export function safeHref(href: unknown): string | null {
  if (typeof href !== "string" || href.trim() === "") return null;
  const scheme = schemeOf(href);
  if (scheme === null) return href.trim(); // relative: "/d/x", "#part", "notes.md"
  return SAFE_SCHEMES.has(scheme) ? href.trim() : null;
}

/**
 * A copy of the document whose link marks all have safe hrefs: an unsafe link keeps its text and
 * loses the mark. Applied to every import and, because a document can also arrive over the
 * collaboration socket from any client, to every export.
 */
export function withSafeLinks(node: JSONContent): JSONContent {
  const copy: JSONContent = { ...node };
  if (node.marks) {
    copy.marks = node.marks.flatMap((mark) => {
      if (mark.type !== "link") return [mark];
      const href = safeHref(mark.attrs?.href);
      return href === null ? [] : [{ ...mark, attrs: { ...mark.attrs, href } }];
    });
    if (copy.marks.length === 0) delete copy.marks;
  }
  if (node.content) copy.content = node.content.map(withSafeLinks);
  return copy;
}
