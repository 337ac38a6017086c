import { Prisma, type PrismaClient } from "../generated/prisma/client.ts";

/**
 * The text search configuration of the documents' search_vector (prisma/migrations/*_search):
 * 'english' stems ("collaborate" finds "collaboration") and exists in PGlite 0.4.3 as in Postgres.
 */
const CONFIG = "english";

export interface SearchResult {
  id: string;
  title: string;
  url: string;
  /**
   * Safe to insert as HTML: `<mark>`…`</mark>` around the words that matched, every other `<`, `>`
   * and `&` escaped. Empty for a document with no text yet.
   */
  snippet: string;
  updatedAt: string;
}

/** ts_headline's options: up to two passages of 10-24 words, matches in <mark>. */
const HEADLINE_OPTIONS = "StartSel=<mark>, StopSel=</mark>, MaxWords=24, MinWords=10, MaxFragments=2, FragmentDelimiter=\" … \"";

/** How much of the start of the text shows when only the title matched. */
const OPENING_CHARACTERS = 200;

/** The start of a text, cut at a word boundary, escaped: the snippet of a document matched by its title only. */
export function openingSnippet(start: string): string {
  const text = start.replace(/\s+/g, " ").trim();
  if (text.length <= OPENING_CHARACTERS) return escapeHtml(text);
  const cut = text.slice(0, OPENING_CHARACTERS);
  const lastSpace = cut.lastIndexOf(" ");
  return `${escapeHtml(lastSpace > OPENING_CHARACTERS / 2 ? cut.slice(0, lastSpace) : cut)} …`;
}

/**
 * The last word of a query still being typed ("collab" of "real-time collab"), when it may safely be
 * searched as a prefix: letters and digits only, so to_tsquery can never read syntax in it, not
 * inside an unclosed quote and not negated. Null otherwise.
 */
export function prefixTerm(query: string): { rest: string; prefix: string } | null {
  const match = /^(.*?)([\p{L}\p{N}]{2,100})$/su.exec(query.trimEnd());
  if (!match) return null;
  const [, rest, prefix] = match;
  // websearch_to_tsquery reads '-word' as NOT and '"…' as a phrase; a prefix there would change the meaning.
  if (/[-"]$/.test(rest) || (rest.match(/"/g)?.length ?? 0) % 2 === 1) return null;
  // Only a whole word: "re-" of "re-collab" ends in '-', but "abc" of "x.abc" would be part of a token.
  if (rest !== "" && !/\s$/.test(rest)) return null;
  // "cats or dog": the prefix would be and-ed with "cats" instead of or-ed; the whole words still match.
  if (/(^|\s)or\s+$/i.test(rest)) return null;
  return { rest, prefix };
}

/**
 * The text `ts_headline` gave, made safe: only our <mark> tags stay markup, and everything else is
 * escaped once. The content was escaped before ts_headline saw it (its parser would otherwise keep
 * a tag like `<img …>` verbatim), so the pieces between marks are unescaped first, then escaped again.
 */
export function safeSnippet(headline: string): string {
  const parts = headline.replace(/\s+/g, " ").trim().split(/(<mark>|<\/mark>)/);
  let open = false;
  let html = "";
  for (const part of parts) {
    if (part === "<mark>" && !open) {
      html += part;
      open = true;
    } else if (part === "</mark>" && open) {
      html += part;
      open = false;
    } else {
      html += escapeHtml(unescapeHtml(part));
    }
  }
  return open ? `${html}</mark>` : html;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function unescapeHtml(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** Full-text search over the titles and content of the documents a caller may read. */
export class SearchIndex {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * The documents among `documentIds` matching `typed`, best match first (a word in the title
   * weighs 2.5 times one in the content), at most `limit`. `typed` is websearch syntax ("quoted
   * phrase", or, -word), which never raises on bad syntax; its last word also matches as a prefix,
   * for people searching as they type. A prefix is matched against stemmed words, so "collabora"
   * (longer than the stem "collabor") does not find "collaboration" while "collab" and the whole
   * word do.
   *
   * Cost: ts_headline parses each result's whole text again, about 20 ms for a 100,000-character
   * document on PGlite (15-35 ms measured), so it runs on the `limit` best rows only.
   */
  async search(documentIds: string[], typed: string, limit: number): Promise<SearchResult[]> {
    // Postgres text cannot hold U+0000: as a space, it separates words as it did on screen.
    const query = typed.replaceAll("\u0000", " ");
    if (documentIds.length === 0 || query.trim() === "") return [];
    const prefix = prefixTerm(query);
    const whole = Prisma.sql`websearch_to_tsquery(${CONFIG}::regconfig, ${query})`;
    // The prefix is letters and digits only (prefixTerm), so to_tsquery cannot read syntax in it.
    const tsquery = prefix
      ? Prisma.sql`${whole} || (websearch_to_tsquery(${CONFIG}::regconfig, ${prefix.rest}) && to_tsquery(${CONFIG}::regconfig, ${`${prefix.prefix}:*`}))`
      : whole;
    const rows = await this.prisma.$queryRaw<{ id: string; title: string; updatedAt: Date; headline: string; opening: string }[]>`
      WITH search AS (SELECT ${tsquery} AS query),
      best AS (
        SELECT d.id, d.title, d.updated_at, d.content_text, ts_rank(d.search_vector, search.query) AS rank, search.query
        FROM documents d, search
        WHERE d.id = ANY(${documentIds}::uuid[]) AND d.search_vector @@ search.query
        ORDER BY rank DESC, d.updated_at DESC, d.id
        LIMIT ${limit}
      )
      SELECT id, title, updated_at AS "updatedAt",
        ts_headline(${CONFIG}::regconfig,
          replace(replace(replace(coalesce(content_text, ''), '&', '&amp;'), '<', '&lt;'), '>', '&gt;'),
          query, ${HEADLINE_OPTIONS}) AS headline,
        left(coalesce(content_text, ''), ${OPENING_CHARACTERS + 1}) AS opening
      FROM best
      ORDER BY rank DESC, updated_at DESC, id`;
    return rows.map((row) => ({
      id: row.id,
      title: row.title,
      url: `/d/${row.id}`,
      // No word of the text matched (the title did): ts_headline's few opening words make a poor
      // preview, the first lines make a better one.
      snippet: row.headline.includes("<mark>") ? safeSnippet(row.headline) : openingSnippet(row.opening),
      updatedAt: row.updatedAt.toISOString(),
    }));
  }
}
