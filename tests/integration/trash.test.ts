import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../server/db/database.ts";
import { EnvError, parseEnv } from "../../server/env.ts";
import { asUser, share, signUp, type TestUser } from "../support/accounts.ts";
import { closesOf, connectClient, eventually, type TestClient } from "../support/client.ts";
import { backends, freshStorage, type ServerProcess, type Storage, startServer } from "../support/server.ts";

const DAY_MS = 86_400_000;
const env = (values: Record<string, string>) => values as NodeJS.ProcessEnv;

describe("TRASH_DAYS", () => {
  it("defaults to 30 days, and a value that is not a whole number of days of at least 1 stops the server with its name", () => {
    expect(parseEnv(env({})).TRASH_DAYS).toBe(30);
    expect(parseEnv(env({ TRASH_DAYS: "7" })).TRASH_DAYS).toBe(7);
    for (const bad of ["0", "-3", "1.5", "a month"]) {
      expect(() => parseEnv(env({ TRASH_DAYS: bad }))).toThrow(EnvError);
      expect(() => parseEnv(env({ TRASH_DAYS: bad }))).toThrow(/TRASH_DAYS/);
    }
  });
});

describe.each(backends())("the trash, on %s storage", (backend) => {
  let storage: Storage;
  let server: ServerProcess;
  let owner: TestUser, coOwner: TestUser, editor: TestUser, viewer: TestUser, stranger: TestUser;
  const clients: TestClient[] = [];

  const connect = (user: TestUser | string, documentId: string) => {
    const client = connectClient(server.url, documentId, typeof user === "string" ? user : () => user.collabToken(documentId));
    clients.push(client);
    return client;
  };
  const listed = async (user: TestUser) => ((await (await user.request("/api/documents")).json()).documents as { id: string }[]).map((d) => d.id);
  const found = async (user: TestUser, query: string) =>
    ((await (await user.request(`/api/search?q=${encodeURIComponent(query)}`)).json()).results as { id: string }[]).map((r) => r.id);
  const trashOf = async (user: TestUser) => (await (await user.request("/api/trash")).json()).documents as {
    id: string;
    title: string;
    deletedAt: string;
    deletedBy: { id: string; name: string } | null;
    purgeAt: string;
  }[];
  const statusOf = async (user: TestUser, path: string, init?: RequestInit) => (await user.request(path, init)).status;

  /** A document the owner shares with the editor (editor), the co-owner (owner) and the viewer (viewer), with text the editor typed. */
  async function sharedDocument(title: string, text: string): Promise<string> {
    const { id } = await owner.createDocument(title);
    await share(owner, id, editor.email, "editor");
    await share(owner, id, viewer.email, "viewer");
    await share(owner, id, coOwner.email, "owner");
    const writer = connect(editor, id);
    await writer.synced();
    writer.type(text);
    await writer.saved();
    writer.destroy();
    return id;
  }

  beforeAll(async () => {
    storage = await freshStorage(backend);
    server = await startServer(storage);
    [owner, coOwner, editor, viewer, stranger] = await Promise.all(
      ["Owner", "Co Owner", "Editor", "Viewer", "Stranger"].map((name) => signUp(server.url, name)),
    );
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    await server?.stop();
    await storage?.dispose();
  });

  it("a deleted document is gone at once for everyone: the API, their lists, search and the collaboration socket, and an open editor is closed", async () => {
    const id = await sharedDocument("Pangolin plans", "pangolin marmalade recipe");
    const open = connect(editor, id);
    await open.synced();
    const closes = closesOf(open);
    // Taken before the delete: a token already in hand must not let anyone back in either.
    const viewerToken = await viewer.collabToken(id);
    for (const user of [owner, editor, viewer]) {
      expect(await listed(user)).toContain(id);
      await eventually(async () => (await found(user, "pangolin")).includes(id), "search finds the document before it is deleted");
    }

    const deletedAt = Date.now();
    const answer = await owner.request(`/api/documents/${id}`, { method: "DELETE" });
    expect(answer.status).toBe(200);
    const trashed = await answer.json();
    expect(trashed).toMatchObject({ id, status: "trashed", restore: `/api/documents/${id}/restore` });
    expect(Date.parse(trashed.purgeAt) - Date.parse(trashed.deletedAt)).toBe(30 * DAY_MS);

    await eventually(() => closes.length > 0, "the open editor's socket is closed", 1_000);
    expect(closes[0]).toMatchObject({ code: 4404, reason: "document-deleted" });
    expect(Date.now() - deletedAt).toBeLessThan(1_000);
    expect(await open.refused()).toMatch(/document-not-found/);

    for (const user of [owner, coOwner, editor, viewer, stranger]) {
      for (const path of [`/api/documents/${id}`, `/api/documents/${id}/content?format=text`, `/api/documents/${id}/versions`, `/api/documents/${id}/sharing`]) {
        expect([user.name, path, await statusOf(user, path)]).toEqual([user.name, path, 404]);
      }
      expect(await statusOf(user, `/api/documents/${id}/collab-token`, { method: "POST" })).toBe(404);
      expect(await statusOf(user, `/api/documents/${id}`, { method: "PATCH", body: JSON.stringify({ title: "Renamed in the trash" }) })).toBe(404);
      expect(await listed(user)).not.toContain(id);
      expect(await found(user, "pangolin")).not.toContain(id);
    }
    expect(await connect(viewerToken, id).refused()).toMatch(/document-not-found/);
    // Moving it to the trash twice is not found the second time: it is already there.
    expect(await statusOf(owner, `/api/documents/${id}`, { method: "DELETE" })).toBe(404);
  });

  it("an owner restores it, and everyone's access is back with the content and sharing intact", async () => {
    const id = await sharedDocument("Okapi notes", "okapi field notes, page one");
    expect(await statusOf(owner, `/api/documents/${id}`, { method: "DELETE" })).toBe(200);

    const restored = await owner.request(`/api/documents/${id}/restore`, { method: "POST" });
    expect(restored.status).toBe(200);
    expect(await restored.json()).toMatchObject({ id, title: "Okapi notes", role: "owner", url: `/d/${id}` });
    // Restoring what is not in the trash (any more) is not found.
    expect(await statusOf(owner, `/api/documents/${id}/restore`, { method: "POST" })).toBe(404);

    for (const [user, role] of [[owner, "owner"], [coOwner, "owner"], [editor, "editor"], [viewer, "viewer"]] as const) {
      const response = await user.request(`/api/documents/${id}`);
      expect(response.status).toBe(200);
      expect((await response.json()).role).toBe(role);
      expect(await listed(user)).toContain(id);
      expect(await (await user.request(`/api/documents/${id}/content?format=text`)).text()).toContain("okapi field notes, page one");
    }
    await eventually(async () => (await found(viewer, "okapi")).includes(id), "search finds the restored document");
    const reader = connect(viewer, id);
    await reader.synced();
    expect(reader.text()).toBe("okapi field notes, page one");
    expect(await trashOf(owner)).not.toContainEqual(expect.objectContaining({ id }));
  });

  it("a share link or an invitation to a document in the trash leads nowhere, and works again once it is restored", async () => {
    const { id } = await owner.createDocument("Ibis plans");
    const link = await (await owner.request(`/api/documents/${id}/links`, { method: "POST", body: JSON.stringify({ role: "viewer" }) })).json();
    const invited = await (await owner.request(`/api/documents/${id}/members`, { method: "POST", body: JSON.stringify({ email: `ibis-${Date.now()}@example.com`, role: "editor" }) })).json();
    const invitationPath = new URL(invited.invitation.url, server.url).pathname;
    const invitationToken = invitationPath.split("/").at(-1);
    expect(await statusOf(owner, `/api/documents/${id}`, { method: "DELETE" })).toBe(200);

    const joinToken = link.url.split("/").at(-1);
    expect(await statusOf(stranger, `/api/join/${joinToken}`, { method: "POST" })).toBe(404);
    expect(await statusOf(stranger, `/api/invitations/${invitationToken}`, { method: "POST" })).toBe(404);
    // Neither the sign-in page a link leads to nor the invitation page tells the trashed document's title.
    expect(await (await fetch(`${server.url}/sign-in?next=${encodeURIComponent(link.url)}`)).text()).not.toContain("Ibis plans");
    expect(await (await fetch(`${server.url}${invitationPath}`)).text()).not.toContain("Ibis plans");
    expect(await statusOf(stranger, `/api/documents/${id}`)).toBe(404);

    expect((await owner.request(`/api/documents/${id}/restore`, { method: "POST" })).status).toBe(200);
    expect(await statusOf(stranger, `/api/join/${joinToken}`, { method: "POST" })).toBe(200);
    expect((await (await stranger.request(`/api/documents/${id}`)).json()).role).toBe("viewer");
  });

  it("only owners see the trash and restore or delete forever from it; editors, viewers and strangers with the id are not found", async () => {
    const id = await sharedDocument("Secret plans", "nobody else may bring this back");
    expect(await statusOf(owner, `/api/documents/${id}`, { method: "DELETE" })).toBe(200);

    for (const user of [editor, viewer, stranger]) {
      expect(await statusOf(user, `/api/documents/${id}/restore`, { method: "POST" })).toBe(404);
      expect(await statusOf(user, `/api/documents/${id}?permanent=1`, { method: "DELETE" })).toBe(404);
      const trash = await user.request("/api/trash");
      expect(trash.status).toBe(200);
      expect(JSON.stringify(await trash.json())).not.toContain(id);
    }
    expect(await trashOf(coOwner)).toContainEqual(expect.objectContaining({ id }));
    // Still in the trash, whole: the owner can bring it back.
    expect(await statusOf(owner, `/api/documents/${id}/restore`, { method: "POST" })).toBe(200);

    // On a live document, deleting forever is the delete action: forbidden to those who may read, not found for the others.
    expect(await statusOf(editor, `/api/documents/${id}?permanent=1`, { method: "DELETE" })).toBe(403);
    expect(await statusOf(viewer, `/api/documents/${id}?permanent=1`, { method: "DELETE" })).toBe(403);
    expect(await statusOf(stranger, `/api/documents/${id}?permanent=1`, { method: "DELETE" })).toBe(404);
    expect(await statusOf(editor, `/api/documents/${id}`, { method: "DELETE" })).toBe(403);
    expect(await statusOf(stranger, `/api/documents/${id}/restore`, { method: "POST" })).toBe(404);
    expect(await statusOf(owner, `/api/documents/${id}`)).toBe(200);

    // A read-only API token may look at the trash but change nothing in it.
    expect(await statusOf(owner, `/api/documents/${id}`, { method: "DELETE" })).toBe(200);
    const minted = await owner.request("/api/tokens", { method: "POST", body: JSON.stringify({ name: "read only", scope: "read" }) });
    const readOnly = { authorization: `Bearer ${(await minted.json()).token}`, "content-type": "application/json" };
    const listedByToken = await fetch(`${server.url}/api/trash`, { headers: readOnly });
    expect(listedByToken.status).toBe(200);
    expect(JSON.stringify(await listedByToken.json())).toContain(id);
    expect((await fetch(`${server.url}/api/documents/${id}/restore`, { method: "POST", headers: readOnly })).status).toBe(403);
    expect((await fetch(`${server.url}/api/documents/${id}?permanent=1`, { method: "DELETE", headers: readOnly })).status).toBe(403);
    expect(await statusOf(owner, `/api/documents/${id}/restore`, { method: "POST" })).toBe(200);
    const bad = await owner.request(`/api/documents/${id}?permanent=yes`, { method: "DELETE" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/permanent must be 1/);
    expect(await statusOf(owner, `/api/documents/${id}`)).toBe(200);
  });

  it("the trash lists an owner's deleted documents with when, by whom, and when they will be deleted for good", async () => {
    const first = await sharedDocument("First to go", "one");
    const second = await sharedDocument("Second to go", "two");
    expect(await statusOf(owner, `/api/documents/${first}`, { method: "DELETE" })).toBe(200);
    expect(await statusOf(coOwner, `/api/documents/${second}`, { method: "DELETE" })).toBe(200);

    const answer = await (await owner.request("/api/trash")).json();
    expect(answer.trashDays).toBe(30);
    const mine = answer.documents.filter((d: { id: string }) => d.id === first || d.id === second);
    expect(mine.map((d: { title: string }) => d.title)).toEqual(["Second to go", "First to go"]);
    expect(mine[0].deletedBy).toEqual({ id: coOwner.id, name: "Co Owner" });
    expect(mine[1].deletedBy).toEqual({ id: owner.id, name: "Owner" });
    for (const document of mine) {
      expect(Date.now() - Date.parse(document.deletedAt)).toBeLessThan(60_000);
      expect(Date.parse(document.purgeAt) - Date.parse(document.deletedAt)).toBe(30 * DAY_MS);
    }
    expect((await fetch(`${server.url}/api/trash`)).status).toBe(401);
  });

  it("deleting forever removes the history and versions; the purge removes what has been in the trash longer than TRASH_DAYS and keeps the rest", async () => {
    const forever = await sharedDocument("Delete me forever", "history that must go");
    expect((await owner.request(`/api/documents/${forever}/versions`, { method: "POST", body: JSON.stringify({ name: "Kept, until deleted" }) })).status).toBe(201);
    const direct = await sharedDocument("Deleted directly", "never in the trash");
    const old = await sharedDocument("Long forgotten", "in the trash for 31 days");
    const young = await sharedDocument("Recently deleted", "in the trash for 29 days");
    const live = await sharedDocument("Still here", "never deleted");
    for (const id of [forever, old, young]) expect(await statusOf(owner, `/api/documents/${id}`, { method: "DELETE" })).toBe(200);

    const deleted = await owner.request(`/api/documents/${forever}?permanent=1`, { method: "DELETE" });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({ id: forever, status: "deleted" });
    expect(await statusOf(owner, `/api/documents/${direct}?permanent=1`, { method: "DELETE" })).toBe(200);
    for (const id of [forever, direct]) {
      expect(await statusOf(owner, `/api/documents/${id}/restore`, { method: "POST" })).toBe(404);
      expect(await statusOf(owner, `/api/documents/${id}`)).toBe(404);
    }
    expect(await trashOf(owner)).not.toContainEqual(expect.objectContaining({ id: forever }));

    await server.stop();
    const database = await openDatabase({ dataDir: storage.dataDir, databaseUrl: storage.databaseUrl });
    try {
      const rowsOf = async (id: string) => {
        const [counts] = await database.prisma.$queryRaw<Record<string, number>[]>`
          SELECT
            (SELECT count(*)::int FROM documents WHERE id = ${id}::uuid) AS documents,
            (SELECT count(*)::int FROM document_history WHERE document_id = ${id}::uuid) AS history,
            (SELECT count(*)::int FROM document_versions WHERE document_id = ${id}::uuid) AS versions,
            (SELECT count(*)::int FROM document_updates WHERE document_id = ${id}::uuid) AS updates,
            (SELECT count(*)::int FROM document_members WHERE document_id = ${id}::uuid) AS members,
            (SELECT count(*)::int FROM document_clients WHERE document_id = ${id}::uuid) AS clients`;
        return counts;
      };
      const nothing = { documents: 0, history: 0, versions: 0, updates: 0, members: 0, clients: 0 };
      expect(await rowsOf(forever)).toEqual(nothing);
      expect(await rowsOf(direct)).toEqual(nothing);
      // Its members (and history) hang off it: the purge is seen to take them with it.
      expect((await rowsOf(old)).members).toBe(4);
      await database.prisma.$executeRaw`UPDATE documents SET deleted_at = now() - interval '31 days' WHERE id = ${old}::uuid`;
      await database.prisma.$executeRaw`UPDATE documents SET deleted_at = now() - interval '29 days' WHERE id = ${young}::uuid`;
    } finally {
      await database.close();
    }

    server = await startServer(storage);
    owner = asUser(server.url, owner);
    await eventually(() => server.logs.some((line) => line.includes("trash: purged 1 document ")), "the purge ran and logged what it removed", 20_000);
    const trash = (await trashOf(owner)).map((d) => d.id);
    expect(trash).toContain(young);
    expect(trash).not.toContain(old);
    expect(await statusOf(owner, `/api/documents/${old}/restore`, { method: "POST" })).toBe(404);
    expect(await statusOf(owner, `/api/documents/${live}`)).toBe(200);
    const kept = (await trashOf(owner)).find((d) => d.id === young)!;
    // 29 days in: one day left.
    expect(Math.round((Date.parse(kept.purgeAt) - Date.now()) / DAY_MS)).toBe(1);

    await server.stop();
    const after = await openDatabase({ dataDir: storage.dataDir, databaseUrl: storage.databaseUrl });
    try {
      const [left] = await after.prisma.$queryRaw<{ documents: number; history: number; members: number }[]>`
        SELECT (SELECT count(*)::int FROM documents WHERE id = ${old}::uuid) AS documents,
          (SELECT count(*)::int FROM document_history WHERE document_id = ${old}::uuid) AS history,
          (SELECT count(*)::int FROM document_members WHERE document_id = ${old}::uuid) AS members`;
      expect(left).toEqual({ documents: 0, history: 0, members: 0 });
    } finally {
      await after.close();
    }
  });
});
