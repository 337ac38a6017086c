import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { share, signUp, type TestUser } from "../support/accounts.ts";
import { backends, freshStorage, type ServerProcess, type Storage, startServer } from "../support/server.ts";

interface Listed {
  id: string;
  title: string;
  role: string;
}

describe.each(backends())("the home page's list of documents, on %s storage", (backend) => {
  let storage: Storage;
  let server: ServerProcess;
  let owner: TestUser, friend: TestUser;
  const ids: Record<string, string> = {};

  const page = async (user: TestUser, query: string) => {
    const response = await user.request(`/api/documents?${query}`);
    expect(response.status, query).toBe(200);
    return (await response.json()) as { documents: Listed[]; nextCursor: string | null };
  };
  /** Every page, following nextCursor, as titles. */
  const allTitles = async (user: TestUser, query: string) => {
    const titles: string[] = [];
    let cursor: string | null = null;
    do {
      const answer: { documents: Listed[]; nextCursor: string | null } = await page(user, `${query}&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      titles.push(...answer.documents.map((d) => d.title));
      cursor = answer.nextCursor;
    } while (cursor);
    return titles;
  };

  beforeAll(async () => {
    storage = await freshStorage(backend);
    server = await startServer(storage);
    [owner, friend] = await Promise.all(["Lister", "Friend"].map((name) => signUp(server.url, name)));
    // Created in this order, so "created" (newest first) is the reverse of it.
    for (const title of ["banana bread", "Apple pie", "cherry tart"]) ids[title] = (await owner.createDocument(title)).id;
    ids["Date scones"] = (await friend.createDocument("Date scones")).id;
    await share(friend, ids["Date scones"], owner.email, "editor");
    // Edited last, so "edited" puts it first.
    await owner.request(`/api/documents/${ids["banana bread"]}`, { method: "PATCH", body: JSON.stringify({ title: "Banana bread" }) });
  });

  afterAll(async () => {
    await server?.stop();
    await storage?.dispose();
  });

  it("sorts by last edited (the default), by title A to Z ignoring case, or newest first, across pages", async () => {
    expect(await allTitles(owner, "sort=edited")).toEqual(["Banana bread", "Date scones", "cherry tart", "Apple pie"]);
    expect((await page(owner, "")).documents.map((d) => d.title)).toEqual(["Banana bread", "Date scones", "cherry tart", "Apple pie"]);
    expect(await allTitles(owner, "sort=title")).toEqual(["Apple pie", "Banana bread", "cherry tart", "Date scones"]);
    expect(await allTitles(owner, "sort=created")).toEqual(["Date scones", "cherry tart", "Apple pie", "Banana bread"]);
  });

  it("owned=1 lists only the documents the caller owns, in the order asked for", async () => {
    const owned = await page(owner, "owned=1&sort=title");
    expect(owned.documents.map((d) => [d.title, d.role])).toEqual([
      ["Apple pie", "owner"],
      ["Banana bread", "owner"],
      ["cherry tart", "owner"],
    ]);
    expect((await page(friend, "owned=1")).documents.map((d) => d.title)).toEqual(["Date scones"]);
  });

  it("a bad sort, filter or a cursor of another order is refused in words, not a validator path", async () => {
    const cases: [string, RegExp][] = [
      ["sort=size", /sort must be one of edited, created, title/],
      ["owned=maybe", /owned must be 1/],
    ];
    const { nextCursor } = await page(owner, "sort=title&limit=1");
    cases.push([`sort=created&cursor=${nextCursor}`, /same sort/], [`cursor=${nextCursor}`, /same sort/]);
    for (const [query, message] of cases) {
      const response = await owner.request(`/api/documents?${query}`);
      expect(response.status, query).toBe(400);
      expect((await response.json()).error).toMatch(message);
    }
  });

  it("a document in the trash is in no order and no filter", async () => {
    await owner.request(`/api/documents/${ids["cherry tart"]}`, { method: "DELETE" });
    for (const query of ["sort=edited", "sort=title", "sort=created", "owned=1"]) {
      expect((await page(owner, query)).documents.map((d) => d.title), query).not.toContain("cherry tart");
    }
    expect((await owner.request(`/api/documents/${ids["cherry tart"]}/restore`, { method: "POST" })).status).toBe(200);
    expect(await allTitles(owner, "sort=title")).toContain("cherry tart");
  });
});
