import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../server/db/database.ts";
import { asUser, share, signUp, type TestUser } from "../support/accounts.ts";
import { connectClient, eventually } from "../support/client.ts";
import { backends, freshStorage, type ServerProcess, type Storage, startServer } from "../support/server.ts";

interface SearchResult {
  id: string;
  title: string;
  url: string;
  snippet: string;
  updatedAt: string;
}

describe.each(backends())("search on %s storage", (backend) => {
  let storage: Storage;
  let server: ServerProcess;
  let owner: TestUser;

  beforeAll(async () => {
    storage = await freshStorage(backend);
    server = await startServer(storage);
    owner = await signUp(server.url, "Owner");
  });
  afterAll(async () => {
    await server?.stop();
    await storage?.dispose();
  });

  const searchAs = async (user: TestUser, query: string, extra = ""): Promise<Response> =>
    user.request(`/api/search?q=${encodeURIComponent(query)}${extra}`);
  const resultsOf = async (user: TestUser, query: string, extra = ""): Promise<SearchResult[]> => {
    const response = await searchAs(user, query, extra);
    if (response.status !== 200) throw new Error(`search for ${query} answered ${response.status}: ${await response.text()}`);
    return (await response.json()).results;
  };
  /** The ids a search gives the user. */
  const found = async (user: TestUser, query: string) => (await resultsOf(user, query)).map((result) => result.id);

  /** Types paragraphs into the document through a real collaboration client, as the editor would, and leaves. */
  const write = async (documentId: string, ...paragraphs: string[]) => {
    const client = connectClient(server.url, documentId, () => asUser(server.url, owner).collabToken(documentId));
    try {
      await client.synced();
      for (const paragraph of paragraphs) client.type(paragraph);
      await client.saved();
    } finally {
      client.destroy();
    }
  };

  /** A document of the owner's with that text, once search has it (compaction runs after the writer leaves). */
  const indexedDocument = async (title: string, word: string, ...paragraphs: string[]) => {
    const document = await owner.createDocument(title);
    await write(document.id, ...paragraphs);
    await eventually(async () => (await found(owner, word)).includes(document.id), `"${word}" found in ${title}`, 20_000);
    return document;
  };

  it("finds text typed in the editor, stemmed and as a prefix, with the matching words highlighted", async () => {
    const document = await indexedDocument("Roadmap", "collaborate", "Intro paragraph.", "Our roadmap for real-time collaboration, and what comes after.");

    const [result] = await resultsOf(owner, "collaborate");
    expect(result).toMatchObject({ id: document.id, title: "Roadmap", url: `/d/${document.id}` });
    expect(result.snippet).toContain("<mark>collaboration</mark>");
    expect(result.snippet).toContain("Our roadmap");
    expect(Date.parse(result.updatedAt)).not.toBeNaN();
    // As people search while typing: the last word counts as the start of one.
    expect(await found(owner, "real-time collab")).toContain(document.id);
    expect(await found(owner, "collab")).toContain(document.id);
    expect(await found(owner, "collabz")).not.toContain(document.id);
  });

  it("finds a document by its new title right after a rename, and ranks a title match above the same word in the text", async () => {
    const inText = await indexedDocument("Some notes", "zeppelin", "We talked about the zeppelin, then the zeppelin again.");
    const renamed = await owner.createDocument("Untitled");
    expect(await found(owner, "zeppelin")).toEqual([inText.id]);

    const rename = await owner.request(`/api/documents/${renamed.id}`, { method: "PATCH", body: JSON.stringify({ title: "Zeppelin budget" }) });
    expect(rename.status).toBe(200);
    expect(await found(owner, "zeppelin")).toEqual([renamed.id, inText.id]);
    expect(await found(owner, "budget")).toEqual([renamed.id]);
  });

  it("shows the start of the text when only the title matched", async () => {
    const document = await indexedDocument("Xylophone plans", "tuning", "First we buy mallets.", "Then tuning.");
    const [result] = await resultsOf(owner, "xylophone");
    expect(result.id).toBe(document.id);
    expect(result.snippet).toBe("First we buy mallets. Then tuning.");
  });

  it("returns the text of a document escaped, so the snippet is safe to insert as HTML", async () => {
    const document = await indexedDocument("Markup", "onerror", "Look: <mark>fake</mark> <img src=x onerror=alert(1)> & &amp;");
    const [result] = await resultsOf(owner, "onerror");
    expect(result.id).toBe(document.id);
    expect(result.snippet).toContain("&lt;img src=x <mark>onerror</mark>=alert");
    // Highlighted are the words that matched, never a <mark> written in the text.
    expect(result.snippet).toContain("fake&lt;/mark&gt;");
    expect(result.snippet).not.toContain("<mark>fake");
    // Matched by its title only, the start of the text shows, every character of it escaped.
    const [byTitle] = await resultsOf(owner, "markup");
    expect(byTitle.snippet).toBe("Look: &lt;mark&gt;fake&lt;/mark&gt; &lt;img src=x onerror=alert(1)&gt; &amp; &amp;amp;");
    // The only markup left is ours.
    expect(result.snippet.replace(/<\/?mark>/g, "")).not.toMatch(/[<>]/);
  });

  it("indexes a document holding a NUL character, which Postgres text cannot store", async () => {
    const document = await indexedDocument("Binary paste", "wombat", "wombat\u0000burrow");
    expect(await found(owner, "burrow")).toEqual([document.id]);
  });

  it("never shows another user's documents: not to a stranger, nor to a member removed, nor through a revoked link", async () => {
    const secret = await indexedDocument("Private plans", "quokka", "The quokka sanctuary budget is confidential.");
    const stranger = await signUp(server.url, "Stranger");
    expect(await resultsOf(stranger, "quokka")).toEqual([]);
    expect(await resultsOf(stranger, "private plans")).toEqual([]);

    const colleague = await signUp(server.url, "Colleague");
    await share(owner, secret.id, colleague.email, "viewer");
    expect(await found(colleague, "quokka")).toEqual([secret.id]);
    expect((await owner.request(`/api/documents/${secret.id}/members/${colleague.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await resultsOf(colleague, "quokka")).toEqual([]);

    const link = await (await owner.request(`/api/documents/${secret.id}/links`, { method: "POST", body: JSON.stringify({ role: "viewer" }) })).json();
    const guest = await signUp(server.url, "Guest");
    expect((await guest.request(`/api/join/${link.url.split("/").at(-1)}`, { method: "POST" })).status).toBe(200);
    expect(await found(guest, "quokka")).toEqual([secret.id]);
    expect((await owner.request(`/api/documents/${secret.id}/links/${link.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await resultsOf(guest, "quokka")).toEqual([]);

    // Query syntax, SQL and wildcards find nothing of the owner's for the stranger, and break nothing.
    const hostile = [
      "quokka' OR '1'='1",
      "'); DROP TABLE documents; --",
      "quokka:*",
      "quok:* | !nothing",
      "!(quokka",
      '"quokka',
      "quokka & | <-> ) (",
      "\\ % _ * ' \" ; --",
      "-nothing",
      "or",
      "\u0000quokka",
      "quokka\u0000",
    ];
    for (const query of hostile) {
      const response = await searchAs(stranger, query);
      expect(response.status, query).toBe(200);
      expect((await response.json()).results, query).toEqual([]);
      // The owner's own search copes with them just as well.
      expect((await searchAs(owner, query)).status, query).toBe(200);
    }
    expect(await found(owner, "quokka")).toEqual([secret.id]);
  });

  it("answers a missing, blank, overlong or badly limited query with 400 and a sentence, and a stranger's with nothing", async () => {
    const cases: [string, RegExp][] = [
      ["/api/search", /q is missing/],
      ["/api/search?q=", /q is missing/],
      ["/api/search?q=%20%20%09", /q is missing/],
      [`/api/search?q=${"quokka ".repeat(1_429)}`, /at most 500 characters/],
      ["/api/search?q=quokka&limit=0", /limit must be a whole number from 1 to 50/],
      ["/api/search?q=quokka&limit=51", /limit must be a whole number from 1 to 50/],
      ["/api/search?q=quokka&limit=ten", /limit must be a whole number from 1 to 50/],
    ];
    for (const [path, message] of cases) {
      const response = await owner.request(path);
      expect(response.status, path).toBe(400);
      expect((await response.json()).error, path).toMatch(message);
    }
    expect((await fetch(`${server.url}/api/search?q=quokka`)).status).toBe(401);
  });

  it("gives at most `limit` results, best first", async () => {
    for (let i = 0; i < 4; i++) await owner.createDocument(`Walrus report ${i}`);
    expect(await resultsOf(owner, "walrus")).toHaveLength(4);
    expect(await resultsOf(owner, "walrus", "&limit=2")).toHaveLength(2);
  });

  it("lets a read-only API token search", async () => {
    const document = await owner.createDocument("Narwhal census");
    const created = await owner.request("/api/tokens", { method: "POST", body: JSON.stringify({ name: "search script", scope: "read" }) });
    const { token } = await created.json();
    const response = await fetch(`${server.url}/api/search?q=narwhal`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect((await response.json()).results.map((result: SearchResult) => result.id)).toEqual([document.id]);
  });

  it("indexes at start-up the documents whose text was never indexed, and leaves the others alone", async () => {
    const forgotten = await indexedDocument("Old document", "pangolin", "Written before search existed: pangolin.");
    const kept = await indexedDocument("Kept document", "okapi", "Already indexed: okapi.");
    await server.stop();
    const database = await openDatabase({ dataDir: storage.dataDir, databaseUrl: storage.databaseUrl });
    try {
      // As a document from before the search migration: no text indexed yet.
      await database.prisma.$executeRaw`UPDATE documents SET content_text = NULL WHERE id = ${forgotten.id}::uuid`;
      // Marked, so a rewrite of an indexed row would show.
      await database.prisma.$executeRaw`UPDATE documents SET content_text = content_text || ' marker' WHERE id = ${kept.id}::uuid`;
    } finally {
      await database.close();
    }

    server = await startServer(storage);
    owner = asUser(server.url, owner);
    await eventually(async () => (await found(owner, "pangolin")).includes(forgotten.id), "the backfill indexed the old document", 20_000);
    expect(await found(owner, "marker")).toEqual([kept.id]);
    expect(server.logs.some((line) => /search index: \d+ of \d+ documents/.test(line))).toBe(true);
    expect(server.logs.filter((line) => /document skipped|backfill failed/.test(line))).toEqual([]);
  });
});
