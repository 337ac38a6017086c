import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp, type TestUser } from "../support/accounts.ts";
import { connectClient } from "../support/client.ts";
import { backends, freshStorage, type ServerProcess, type Storage, startServer } from "../support/server.ts";

describe.each(backends())("the documents API on %s storage", (backend) => {
  let storage: Storage;
  let server: ServerProcess;
  let owner: TestUser;
  const api = (path: string, init?: RequestInit) => owner.request(`/api/documents${path}`, init);

  beforeAll(async () => {
    storage = await freshStorage(backend);
    server = await startServer(storage);
    owner = await signUp(server.url, "Owner");
  });
  afterAll(async () => {
    await server?.stop();
    await storage?.dispose();
  });

  it("creates, lists, renames and deletes documents", async () => {
    const created = await api("", { method: "POST", body: JSON.stringify({ title: "  Meeting notes  " }) });
    expect(created.status).toBe(201);
    const document = await created.json();
    expect(document).toMatchObject({ title: "Meeting notes", url: `/d/${document.id}`, role: "owner" });
    expect(Date.parse(document.createdAt)).not.toBeNaN();

    const listed = await (await api("")).json();
    expect(listed.documents.map((d: { id: string }) => d.id)).toContain(document.id);
    expect(await (await api(`/${document.id}`)).json()).toEqual(document);
    expect((await fetch(`${server.url}/api/documents`)).status).toBe(401);

    const renamed = await api(`/${document.id}`, { method: "PATCH", body: JSON.stringify({ title: "Minutes" }) });
    expect(renamed.status).toBe(200);
    expect((await renamed.json()).title).toBe("Minutes");

    const trashed = await api(`/${document.id}`, { method: "DELETE" });
    expect(trashed.status).toBe(200);
    expect(await trashed.json()).toMatchObject({ id: document.id, status: "trashed" });
    expect((await api(`/${document.id}`)).status).toBe(404);
  });

  it("answers bad input with 400 and a message, and unknown documents with 404", async () => {
    const { id } = await owner.createDocument();
    const cases: [string, RequestInit, number, RegExp][] = [
      ["", { method: "POST", body: "not json" }, 400, /JSON/],
      ["", { method: "POST", body: JSON.stringify({ title: 42 }) }, 400, /string/],
      ["", { method: "POST", body: JSON.stringify({ title: "   " }) }, 400, /empty/],
      ["", { method: "POST", body: JSON.stringify({ title: "x".repeat(201) }) }, 400, /200/],
      ["", { method: "POST", body: JSON.stringify([]) }, 400, /object/],
      [`/${id}`, { method: "PATCH", body: JSON.stringify({}) }, 400, /string/],
      [`/${crypto.randomUUID()}`, { method: "GET" }, 404, /not found/],
      [`/${crypto.randomUUID()}`, { method: "PATCH", body: JSON.stringify({ title: "x" }) }, 404, /not found/],
      ["/not-a-uuid", { method: "DELETE" }, 404, /not found/],
    ];
    for (const [path, init, status, message] of cases) {
      const response = await api(path, init);
      expect(response.status, `${init.method} ${path} ${init.body}`).toBe(status);
      expect((await response.json()).error).toMatch(message);
    }
  });

  it("a rename shows up live in every open editor, and deleting closes them", async () => {
    const { id } = await owner.createDocument("Before");
    const writer = connectClient(server.url, id, () => owner.collabToken(id));
    try {
      await writer.synced();
      const announced = new Promise<string>((resolve) =>
        writer.provider.on("stateless", ({ payload }: { payload: string }) => resolve(JSON.parse(payload).title)),
      );
      await api(`/${id}`, { method: "PATCH", body: JSON.stringify({ title: "After" }) });
      expect(await announced).toBe("After");

      expect((await api(`/${id}`, { method: "DELETE" })).status).toBe(200);
      expect(await writer.refused()).toMatch(/document-not-found/);
    } finally {
      writer.destroy();
    }
  });
});
