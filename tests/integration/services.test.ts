import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { share, signUp, type TestUser } from "../support/accounts.ts";
import { connectClient, eventually, type TestClient } from "../support/client.ts";
import { backends, freshStorage, type ServerProcess, type Storage, startServer } from "../support/server.ts";

const AUTH_SECRET = "split-services-secret-0123456789abcdefghijklmnop";

// Splitting needs Postgres (the embedded database belongs to one process); in CI backends() insists on it.
describe.runIf(backends().includes("postgres"))("web app and collaboration socket in separate processes", () => {
  let storage: Storage;
  let web: ServerProcess;
  let collab: ServerProcess;
  let owner: TestUser;
  const clients: TestClient[] = [];

  const connect = (user: TestUser, documentId: string) => {
    const client = connectClient(collab.url, documentId, () => user.collabToken(documentId));
    clients.push(client);
    return client;
  };
  const closeOf = (client: TestClient) =>
    new Promise<{ code: number; reason: string; at: number }>((resolve) =>
      client.provider.on("close", ({ event }: { event: { code: number; reason: string } }) => resolve({ code: event.code, reason: event.reason, at: performance.now() })),
    );

  beforeAll(async () => {
    storage = await freshStorage("postgres");
    web = await startServer(storage, { SERVICES: "web", AUTH_SECRET });
    collab = await startServer(storage, { SERVICES: "collaboration", AUTH_SECRET });
    owner = await signUp(web.url, "Owner");
  });
  afterAll(async () => {
    for (const client of clients) client.destroy();
    await collab?.stop();
    await web?.stop();
    await storage?.dispose();
  });

  it("each process serves only its part, and both report their health", async () => {
    expect((await fetch(`${web.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${collab.url}/healthz`)).status).toBe(200);
    const page = await fetch(`${collab.url}/`);
    expect(page.status).toBe(404);
    expect((await page.json()).error).toMatch(/only the collaboration socket/);
    expect((await fetch(`${web.url}/sign-in`)).status).toBe(200);

    const refused = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`${web.url.replace(/^http/, "ws")}/collab`);
      socket.on("unexpected-response", (_, response) => resolve(response.statusCode ?? 0));
      socket.on("open", () => resolve(101));
      socket.on("error", () => {});
    });
    expect(refused).toBe(404);
  });

  it("a writer with a token from the web process saves through the collaboration process, and the text survives its restart", async () => {
    const { id } = await owner.createDocument("Split");
    const writer = connect(owner, id);
    await writer.synced();
    writer.type("typed through the collaboration process");
    await writer.saved();
    writer.destroy();

    await collab.stop();
    collab = await startServer(storage, { SERVICES: "collaboration", AUTH_SECRET });
    const reader = connect(owner, id);
    await reader.synced();
    expect(reader.text()).toContain("typed through the collaboration process");
  });

  it("a restore made on the web process reaches an editor on the collaboration process, once, and a new editor loads it", async () => {
    const { id } = await owner.createDocument("Restored across processes");
    const writer = connect(owner, id);
    await writer.synced();
    writer.type("the version to keep");
    await writer.saved();
    const named = await owner.request(`/api/documents/${id}/versions`, { method: "POST", body: JSON.stringify({ name: "Keep" }) });
    expect(named.status).toBe(201);
    const { version } = await named.json();
    writer.doc.getXmlFragment("default").delete(0, 1);
    writer.type("an edit to undo");
    await writer.saved();

    const restoredAt = performance.now();
    const restore = await owner.request(`/api/documents/${id}/versions/${version.id}/restore`, { method: "POST" });
    expect(restore.status, await restore.clone().text()).toBe(200);
    await eventually(() => writer.text() === "the version to keep", "the open editor shows the restored text", 2_000);
    console.log(`split services: a restore reached the open editor after ${(performance.now() - restoredAt).toFixed(0)} ms`);
    const reader = connect(owner, id);
    await reader.synced();
    expect(reader.text()).toBe("the version to keep");
  });

  it("a rename, a new role, a removed member and a deletion made on the web process reach editors on the collaboration process within a second", async () => {
    const { id } = await owner.createDocument("Before");
    const [member, doomed] = await Promise.all([signUp(web.url, "Member"), signUp(web.url, "Doomed")]);
    await share(owner, id, member.email, "viewer");
    await share(owner, id, doomed.email, "editor");
    const [ownerClient, memberClient, doomedClient] = [connect(owner, id), connect(member, id), connect(doomed, id)];
    await Promise.all([ownerClient.synced(), memberClient.synced(), doomedClient.synced()]);

    expect((await owner.request(`/api/documents/${id}`, { method: "PATCH", body: JSON.stringify({ title: "After" }) })).status).toBe(200);
    await eventually(() => ownerClient.stateless.some((payload) => JSON.parse(payload).title === "After"), "the owner's editor hears the new title", 1_000);

    expect((await owner.request(`/api/documents/${id}/members/${member.id}`, { method: "PATCH", body: JSON.stringify({ role: "editor" }) })).status).toBe(200);
    await eventually(() => memberClient.stateless.some((payload) => JSON.parse(payload).role === "editor"), "the member hears they are an editor", 1_000);
    memberClient.type("promoted on the web, typing on the socket");
    await memberClient.saved();

    const doomedClosed = closeOf(doomedClient);
    const removedAt = performance.now();
    expect((await owner.request(`/api/documents/${id}/members/${doomed.id}`, { method: "DELETE" })).status).toBe(204);
    const removal = await doomedClosed;
    expect(removal.code).toBe(4403);
    expect(removal.at - removedAt).toBeLessThan(1_000);
    expect(doomedClient.stateless.map((payload) => JSON.parse(payload).type)).toContain("access-revoked");

    const ownerClosed = closeOf(ownerClient);
    const deletedAt = performance.now();
    expect((await owner.request(`/api/documents/${id}`, { method: "DELETE" })).status).toBe(200);
    const deletion = await ownerClosed;
    expect(deletion.reason).toBe("document-deleted");
    expect(deletion.at - deletedAt).toBeLessThan(1_000);
    console.log(`split services: revocation reached the socket after ${(removal.at - removedAt).toFixed(0)} ms, deletion after ${(deletion.at - deletedAt).toFixed(0)} ms`);
  });

  it("a member removed while the collaboration process had lost its notice connection is still shut out once it is back", async () => {
    const { id } = await owner.createDocument("Missed notice");
    const doomed = await signUp(web.url, "Missed");
    await share(owner, id, doomed.email, "editor");
    const client = connect(doomed, id);
    await client.synced();
    const closed = closeOf(client);

    const admin = new pg.Client({ connectionString: storage.databaseUrl });
    await admin.connect();
    try {
      const cut = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN inkwell_collaboration' AND datname = current_database()");
      expect(cut.rowCount).toBe(1);
    } finally {
      await admin.end();
    }
    expect((await owner.request(`/api/documents/${id}/members/${doomed.id}`, { method: "DELETE" })).status).toBe(204);

    expect((await closed).code).toBe(4403);
    await eventually(() => collab.logs.some((line) => line.includes("re-checking the access of everyone connected")), "the collaboration process re-checks access after reconnecting");
  });
});
