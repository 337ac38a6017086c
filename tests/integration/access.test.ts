import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import * as Y from "yjs";
import { CollabTokens } from "../../server/accounts/collab-token.ts";
import { asUser, share, signUp, type TestUser } from "../support/accounts.ts";
import { connectClient, eventually, MESSAGE, openRawSocket, tally, type TestClient } from "../support/client.ts";
import { backends, freshStorage, type ServerProcess, type Storage, startServer } from "../support/server.ts";
import { awarenessFrame } from "../support/wire.ts";

const AUTH_SECRET = "access-matrix-secret-0123456789abcdefghijklmnop";

type Principal = "no token" | "bad signature" | "expired" | "token for another document" | "viewer" | "editor" | "owner" | "revoked";
const PRINCIPALS: Principal[] = ["no token", "bad signature", "expired", "token for another document", "viewer", "editor", "owner", "revoked"];
const CAN_READ = new Set<Principal>(["viewer", "editor", "owner"]);
const CAN_WRITE = new Set<Principal>(["editor", "owner"]);

describe.each(backends())("who may do what, on %s storage", (backend) => {
  let storage: Storage;
  let server: ServerProcess;
  let owner: TestUser, editor: TestUser, viewer: TestUser, revoked: TestUser, outsider: TestUser;
  let documentId: string;
  let otherDocumentId: string;
  const clients: TestClient[] = [];

  const connect = (token: string | (() => Promise<string>)) => {
    const client = connectClient(server.url, documentId, token);
    clients.push(client);
    return client;
  };

  /** The collaboration token each principal presents for the shared document. */
  async function tokenOf(principal: Principal): Promise<string> {
    const forge = (secret: string, ttl?: number) =>
      new CollabTokens(secret).issue({ userId: owner.id, documentId, role: "owner", name: owner.name, color: "#000000" }, ttl).then((t) => t.token);
    switch (principal) {
      case "no token":
        return "";
      case "bad signature":
        return forge("a-secret-that-is-not-the-servers-0123456789");
      case "expired":
        return forge(AUTH_SECRET, -60);
      case "token for another document":
        return outsider.collabToken(otherDocumentId);
      case "revoked":
        return revokedToken;
      default:
        return { viewer, editor, owner }[principal].collabToken(documentId);
    }
  }

  /** The API credentials each principal presents (HTTP has no document-bound tokens of its own). */
  function httpAs(principal: Principal): (path: string, init?: RequestInit) => Promise<Response> {
    const plain = (headers: Record<string, string>) => (path: string, init: RequestInit = {}) =>
      fetch(`${server.url}${path}`, { ...init, headers: { "content-type": "application/json", origin: server.url, ...headers } });
    switch (principal) {
      case "no token":
        return plain({});
      case "bad signature":
        return plain({ authorization: "Bearer iwk_forged-token-that-was-never-issued" });
      case "expired":
        return plain({ cookie: expiredCookie });
      case "token for another document":
        return outsider.request;
      case "revoked":
        return revoked.request;
      default:
        return { viewer, editor, owner }[principal].request;
    }
  }

  let revokedToken: string;
  let expiredCookie: string;

  beforeAll(async () => {
    storage = await freshStorage(backend);
    server = await startServer(storage, { AUTH_SECRET });
    [owner, editor, viewer, revoked, outsider] = await Promise.all(
      ["Owner", "Editor", "Viewer", "Revoked", "Outsider"].map((name) => signUp(server.url, name)),
    );
    documentId = (await owner.createDocument("Matrix")).id;
    otherDocumentId = (await outsider.createDocument("Elsewhere")).id;
    await share(owner, documentId, editor.email, "editor");
    await share(owner, documentId, viewer.email, "viewer");
    await share(owner, documentId, revoked.email, "editor");
    revokedToken = await revoked.collabToken(documentId);
    expect((await owner.request(`/api/documents/${documentId}/members/${revoked.id}`, { method: "DELETE" })).status).toBe(204);
    // A session that has ended: signed out, its cookie no longer opens anything.
    const leaving = await signUp(server.url, "Leaving");
    expiredCookie = leaving.cookie;
    await leaving.request("/api/auth/sign-out", { method: "POST", body: "{}" });

    const seed = connect(() => owner.collabToken(documentId));
    await seed.synced();
    seed.type("the secret plan");
    await seed.saved();
  });

  afterAll(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await server?.stop();
    await storage?.dispose();
  });

  describe("over the collaboration socket", () => {
    it.each(PRINCIPALS)("%s: reads only if allowed, and nothing of the document is sent otherwise", async (principal) => {
      const client = connect(await tokenOf(principal));
      if (CAN_READ.has(principal)) {
        await client.synced();
        expect(client.text()).toContain("the secret plan");
        return;
      }
      const reason = await client.refused();
      expect(reason).toMatch(/token|not-found/);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(client.received.filter((type) => type === MESSAGE.Sync || type === MESSAGE.Awareness)).toEqual([]);
      expect(client.doc.getXmlFragment("default").length).toBe(0);
    });

    it.each(PRINCIPALS)("%s: writes only if allowed", async (principal) => {
      const observer = connect(() => owner.collabToken(documentId));
      await observer.synced();
      const before = Y.encodeStateAsUpdate(observer.doc);
      const marker = `written by ${principal} ${Math.random()}`;
      const client = connect(await tokenOf(principal));
      if (CAN_READ.has(principal)) await client.synced();
      else await client.refused();
      client.type(marker);

      if (CAN_WRITE.has(principal)) {
        await client.saved();
        await eventually(() => observer.text().includes(marker), `the owner sees what ${principal} wrote`);
      } else {
        await new Promise((resolve) => setTimeout(resolve, 400));
        expect(observer.text()).not.toContain(marker);
        expect(Y.encodeStateAsUpdate(observer.doc)).toEqual(before);
      }
    });
  });

  describe("over HTTP", () => {
    const expected: Record<Principal, { read: number; rename: number; share: number; delete: number }> = {
      "no token": { read: 401, rename: 401, share: 401, delete: 401 },
      "bad signature": { read: 401, rename: 401, share: 401, delete: 401 },
      expired: { read: 401, rename: 401, share: 401, delete: 401 },
      "token for another document": { read: 404, rename: 404, share: 404, delete: 404 },
      viewer: { read: 200, rename: 403, share: 403, delete: 403 },
      editor: { read: 200, rename: 200, share: 403, delete: 403 },
      owner: { read: 200, rename: 200, share: 201, delete: 200 },
      revoked: { read: 404, rename: 404, share: 404, delete: 404 },
    };

    it.each(PRINCIPALS)("%s: read, rename, share and delete answer as the role allows", async (principal) => {
      const call = httpAs(principal);
      const statuses = {
        read: (await call(`/api/documents/${documentId}`)).status,
        rename: (await call(`/api/documents/${documentId}`, { method: "PATCH", body: JSON.stringify({ title: `Renamed by ${principal}` }) })).status,
        share: (await call(`/api/documents/${documentId}/members`, { method: "POST", body: JSON.stringify({ email: `friend-of-${principal.replace(/\W/g, "")}@example.com`, role: "viewer" }) })).status,
        // Deleting is tried on a document of its own, so an allowed delete does not end the matrix.
        delete: await (async () => {
          const doomed = (await owner.createDocument("Doomed")).id;
          for (const [who, role] of [[editor, "editor"], [viewer, "viewer"]] as const) await share(owner, doomed, who.email, role);
          return (await call(`/api/documents/${doomed}`, { method: "DELETE" })).status;
        })(),
      };
      expect(statuses).toEqual(expected[principal]);
      const body = await (await call(`/api/documents/${documentId}`)).text();
      if (expected[principal].read !== 200) expect(body).not.toContain("Matrix");
    });

    it.each(PRINCIPALS)("%s: history, versions, content, diff, restore and import answer as the role allows", async (principal) => {
      const call = httpAs(principal);
      const named = await owner.request(`/api/documents/${documentId}/versions`, { method: "POST", body: JSON.stringify({ name: `Before ${principal}` }) });
      expect(named.status).toBe(201);
      const { version } = await named.json();
      const read = expected[principal].read;
      const write = read === 200 ? (principal === "viewer" ? 403 : 200) : read;
      const reads = {
        versions: await call(`/api/documents/${documentId}/versions`),
        content: await call(`/api/documents/${documentId}/content?format=markdown&version=${version.id}`),
        diff: await call(`/api/documents/${documentId}/diff?from=${version.id}`),
      };
      const statuses = {
        versions: reads.versions.status,
        content: reads.content.status,
        diff: reads.diff.status,
        name: (await call(`/api/documents/${documentId}/versions`, { method: "POST", body: JSON.stringify({ name: `Named by ${principal}` }) })).status,
        restore: (await call(`/api/documents/${documentId}/versions/${version.id}/restore`, { method: "POST" })).status,
        // The same text again: allowed imports leave the content as it was for the tests after this one.
        import: (await call(`/api/documents/${documentId}/content`, { method: "PUT", headers: { "content-type": "text/plain" }, body: "the secret plan" })).status,
      };
      expect(statuses).toEqual({ versions: read, content: read, diff: read, name: write === 200 ? 201 : write, restore: write, import: write });
      if (read !== 200) for (const response of Object.values(reads)) expect(await response.text()).not.toContain("secret plan");
    });

    it("a collaboration token is issued only to those who may read", async () => {
      for (const principal of PRINCIPALS) {
        const status = (await httpAs(principal)(`/api/documents/${documentId}/collab-token`, { method: "POST" })).status;
        expect([principal, status]).toEqual([principal, CAN_READ.has(principal) ? 200 : expected[principal].read]);
      }
    });
  });

  it("a viewer's client sending 1,000 updates leaves the stored document and every other replica byte-for-byte unchanged", async () => {
    const ownerReplica = connect(() => owner.collabToken(documentId));
    const editorReplica = connect(() => editor.collabToken(documentId));
    await Promise.all([ownerReplica.synced(), editorReplica.synced()]);
    await eventually(
      () => Y.encodeStateAsUpdate(ownerReplica.doc).toString() === Y.encodeStateAsUpdate(editorReplica.doc).toString(),
      "replicas agree before the flood",
    );
    const before = Y.encodeStateAsUpdate(ownerReplica.doc);

    const intruder = connect(() => viewer.collabToken(documentId));
    await intruder.synced();
    for (let i = 0; i < 1_000; i++) intruder.type(`vandalism ${i}`);
    // The server answers every update; 1,000 refusals mean it has seen them all.
    await eventually(() => intruder.received.filter((type) => type === MESSAGE.SyncStatus).length >= 1_000, "all 1,000 updates answered");

    expect(Y.encodeStateAsUpdate(ownerReplica.doc)).toEqual(before);
    expect(Y.encodeStateAsUpdate(editorReplica.doc)).toEqual(before);
    const fresh = connect(() => owner.collabToken(documentId));
    await fresh.synced();
    expect(Y.encodeStateAsUpdate(fresh.doc)).toEqual(before);
  });

  it("removing someone's role closes their open connection within a second, and tells them why", async () => {
    const doomed = await signUp(server.url, "Doomed");
    await share(owner, documentId, doomed.email, "editor");
    const client = connect(() => asUser(server.url, doomed).collabToken(documentId));
    await client.synced();
    const closed = new Promise<number>((resolve) => client.provider.on("close", () => resolve(performance.now())));

    const started = performance.now();
    expect((await owner.request(`/api/documents/${documentId}/members/${doomed.id}`, { method: "DELETE" })).status).toBe(204);
    const elapsed = (await closed) - started;
    expect(elapsed).toBeLessThan(1_000);
    expect(client.stateless.map((payload) => JSON.parse(payload).type)).toContain("access-revoked");
    console.log(`revocation: connection closed ${elapsed.toFixed(0)} ms after the owner removed the role`);
  });

  it("revoking a share link closes the connections of everyone who joined through it", async () => {
    const link = await (await owner.request(`/api/documents/${documentId}/links`, { method: "POST", body: JSON.stringify({ role: "editor" }) })).json();
    const guest = await signUp(server.url, "Guest");
    const joined = await guest.request(`/api/join/${link.url.split("/").at(-1)}`, { method: "POST" });
    expect(await joined.json()).toEqual({ url: `/d/${documentId}`, role: "editor" });
    const client = connect(() => guest.collabToken(documentId));
    await client.synced();
    const closed = new Promise<void>((resolve) => client.provider.on("close", () => resolve()));

    expect((await owner.request(`/api/documents/${documentId}/links/${link.id}`, { method: "DELETE" })).status).toBe(204);
    await closed;
    expect((await guest.request(`/api/documents/${documentId}`)).status).toBe(404);
    expect((await guest.request(`/api/join/${link.url.split("/").at(-1)}`, { method: "POST" })).status).toBe(404);
  });

  it("a role changed while connected applies at once: a viewer made editor can type", async () => {
    const promoted = await signUp(server.url, "Promoted");
    await share(owner, documentId, promoted.email, "viewer");
    const client = connect(() => asUser(server.url, promoted).collabToken(documentId));
    const observer = connect(() => owner.collabToken(documentId));
    await Promise.all([client.synced(), observer.synced()]);

    expect((await owner.request(`/api/documents/${documentId}/members/${promoted.id}`, { method: "PATCH", body: JSON.stringify({ role: "editor" }) })).status).toBe(200);
    await eventually(() => client.stateless.some((payload) => JSON.parse(payload).role === "editor"), "the client hears it is an editor now");
    client.type("promoted and typing");
    await client.saved();
    await eventually(() => observer.text().includes("promoted and typing"), "the owner sees the promoted writer's text");
  });

  describe("attacks from the security review (issue 11), kept fixed", () => {
    const joinPath = (url: string) => `/api/join/${url.split("/").at(-1)}`;

    it("a viewer reads who has access: names and roles, but no email addresses and no pending invitations", async () => {
      const invited = await owner.request(`/api/documents/${documentId}/members`, { method: "POST", body: JSON.stringify({ email: "cfo-listing@corp.test", role: "owner" }) });
      expect(invited.status).toBe(201);
      const seenByViewer = await (await viewer.request(`/api/documents/${documentId}/sharing`)).json();
      const text = JSON.stringify(seenByViewer);
      expect(text).not.toContain("cfo-listing@corp.test");
      for (const person of [owner, editor, viewer]) expect(text).not.toContain(person.email);
      expect(seenByViewer.invitations).toEqual([]);
      expect(seenByViewer.members).toEqual(expect.arrayContaining([{ userId: owner.id, name: owner.name, role: "owner" }, { userId: editor.id, name: editor.name, role: "editor" }]));
      const seenByOwner = await (await owner.request(`/api/documents/${documentId}/sharing`)).json();
      expect(seenByOwner.invitations).toEqual(expect.arrayContaining([expect.objectContaining({ email: "cfo-listing@corp.test", role: "owner", expired: false })]));
      expect(seenByOwner.members).toEqual(expect.arrayContaining([expect.objectContaining({ userId: editor.id, email: editor.email })]));
    });

    it("signing up with an invited owner's email gains nothing: the impostor cannot read, demote or remove the owner", async () => {
      // The review's steps: the owner invites cfo@corp.test as owner; a viewer learns the address; signs up with it.
      const cfo = `cfo-${Math.random().toString(36).slice(2, 8)}@corp.test`;
      const invited = await owner.request(`/api/documents/${documentId}/members`, { method: "POST", body: JSON.stringify({ email: cfo, role: "owner" }) });
      expect(invited.status).toBe(201);
      const impostor = await signUp(server.url, "Not The CFO", cfo);
      expect((await impostor.request(`/api/documents/${documentId}`)).status).toBe(404);
      expect((await (await impostor.request("/api/documents")).json()).documents).toEqual([]);
      const demote = await impostor.request(`/api/documents/${documentId}/members/${owner.id}`, { method: "PATCH", body: JSON.stringify({ role: "viewer" }) });
      const remove = await impostor.request(`/api/documents/${documentId}/members/${owner.id}`, { method: "DELETE" });
      expect([demote.status, remove.status]).toEqual([404, 404]);
      await expect(impostor.collabToken(documentId)).rejects.toThrow("document-not-found");
      expect(await (await owner.request(`/api/documents/${documentId}`)).json()).toMatchObject({ role: "owner" });
    });

    it("someone who joined by link is listed, and the role the owner sets is their role, on HTTP and on their open connection", async () => {
      const link = await (await owner.request(`/api/documents/${documentId}/links`, { method: "POST", body: JSON.stringify({ role: "editor" }) })).json();
      const m = await signUp(server.url, "Mallory Linkjoiner");
      expect(await (await m.request(joinPath(link.url), { method: "POST" })).json()).toEqual({ url: `/d/${documentId}`, role: "editor" });
      const listed = (await (await owner.request(`/api/documents/${documentId}/sharing`)).json()).members;
      expect(listed).toContainEqual({ userId: m.id, name: m.name, email: m.email, role: "editor", joinedThrough: [link.id] });
      const client = connect(() => m.collabToken(documentId));
      await client.synced();

      expect((await owner.request(`/api/documents/${documentId}/members/${m.id}`, { method: "PATCH", body: JSON.stringify({ role: "viewer" }) })).status).toBe(200);
      expect(await (await m.request(`/api/documents/${documentId}`)).json()).toMatchObject({ role: "viewer" });
      expect((await m.request(`/api/documents/${documentId}`, { method: "PATCH", body: JSON.stringify({ title: "Renamed by M" }) })).status).toBe(403);
      await eventually(() => client.stateless.some((payload) => JSON.parse(payload).role === "viewer"), "M's open editor hears it is a viewer now");
      // The link, still live for others, does not lift M back to editor.
      expect((await owner.request(`/api/documents/${documentId}/sharing`)).ok).toBe(true);
      expect((await (await owner.request(`/api/documents/${documentId}/sharing`)).json()).members).toContainEqual(expect.objectContaining({ userId: m.id, role: "viewer" }));
    });

    it("removing someone who joined by link ends their access and their connection, and the link does not let them back in until they are shared with again", async () => {
      const link = await (await owner.request(`/api/documents/${documentId}/links`, { method: "POST", body: JSON.stringify({ role: "editor" }) })).json();
      const m = await signUp(server.url, "Mallory Removed");
      expect((await m.request(joinPath(link.url), { method: "POST" })).status).toBe(200);
      const client = connect(() => m.collabToken(documentId));
      await client.synced();
      const closed = new Promise<void>((resolve) => client.provider.on("close", () => resolve()));

      expect((await owner.request(`/api/documents/${documentId}/members/${m.id}`, { method: "DELETE" })).status).toBe(204);
      await closed;
      expect(client.stateless.map((payload) => JSON.parse(payload).type)).toContain("access-revoked");
      expect((await m.request(`/api/documents/${documentId}`)).status).toBe(404);
      await expect(m.collabToken(documentId)).rejects.toThrow("document-not-found");
      const reopened = await m.request(joinPath(link.url), { method: "POST" });
      expect(reopened.status).toBe(403);
      expect((await reopened.json()).error).toMatch(/removed you/);
      expect((await m.request(`/api/documents/${documentId}`)).status).toBe(404);
      // Others still join through the same link.
      const other = await signUp(server.url, "Still Welcome");
      expect((await other.request(joinPath(link.url), { method: "POST" })).status).toBe(200);

      await share(owner, documentId, m.email, "viewer");
      expect(await (await m.request(`/api/documents/${documentId}`)).json()).toMatchObject({ role: "viewer" });
    });

    it("a viewer's socket of 250 session-keyed joins takes few places, and the owner and editor still get in", async () => {
      const socket = await openRawSocket(server.url);
      try {
        const sessions = Array.from({ length: 250 }, (_, n) => `${documentId}\0s${n}`);
        const answers = tally((await socket.authenticateAll(sessions, await viewer.collabToken(documentId))).values());
        expect(answers.authenticated).toBeLessThanOrEqual(20);
        for (const who of [owner, editor]) await connect(() => who.collabToken(documentId)).synced();
      } finally {
        socket.close();
      }
    });

    it("a viewer publishing presence for ten made-up people and for the editor's own client id changes nothing the owner sees", async () => {
      const watcher = connect(() => owner.collabToken(documentId));
      await watcher.synced();
      const writer = connect(() => editor.collabToken(documentId));
      await writer.synced();
      writer.provider.setAwarenessField("cursor", { at: 1 });
      await eventually(() => watcher.provider.awareness!.getStates().get(writer.doc.clientID)?.user?.name === editor.name, "the owner sees the editor");
      const before = [...watcher.provider.awareness!.getStates().keys()].sort();

      const socket = await openRawSocket(server.url);
      try {
        await socket.authenticateAll([documentId], await viewer.collabToken(documentId));
        const madeUp = Array.from({ length: 10 }, (_, n) => ({ clientId: 900_000 + n, clock: 1, state: { cursor: null } }));
        socket.send(awarenessFrame(documentId, [...madeUp, { clientId: writer.doc.clientID, clock: 1_000, state: { cursor: { at: 99 } } }]));
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect([...watcher.provider.awareness!.getStates().keys()].sort()).toEqual(before);
        expect(watcher.provider.awareness!.getStates().get(writer.doc.clientID)?.user?.name).toBe(editor.name);
      } finally {
        socket.close();
      }
    });

    it("the owner's read-only API token changes nothing, and cannot mint a token that could", async () => {
      const readToken = (await (await owner.request("/api/tokens", { method: "POST", body: JSON.stringify({ name: "read", scope: "read" }) })).json()).token;
      const title = (await (await owner.request(`/api/documents/${documentId}`)).json()).title;
      const asReader = (path: string, init: RequestInit = {}) =>
        fetch(`${server.url}${path}`, { ...init, headers: { "content-type": "application/json", authorization: `Bearer ${readToken}` } });
      expect((await asReader(`/api/documents/${documentId}`)).status).toBe(200);
      expect((await asReader(`/api/documents/${documentId}`, { method: "PATCH", body: JSON.stringify({ title: "Renamed by a read token" }) })).status).toBe(403);
      expect((await asReader(`/api/documents/${documentId}`, { method: "DELETE" })).status).toBe(403);
      expect((await asReader("/api/tokens", { method: "POST", body: JSON.stringify({ name: "escalate" }) })).status).toBe(403);
      expect((await (await owner.request(`/api/documents/${documentId}`)).json()).title).toBe(title);
    });

    it.each(["no token", "viewer", "owner"] as Principal[])("%s: a 50 MB body is refused with 413 and changes nothing", async (principal) => {
      const documents = async () => (await (await owner.request("/api/documents?limit=500")).json()).documents.length;
      const before = await documents();
      const response = await httpAs(principal)("/api/documents", { method: "POST", body: JSON.stringify({ title: "big", padding: "x".repeat(50 * 1024 * 1024) }) });
      expect(response.status).toBe(413);
      expect(await documents()).toBe(before);
    });
  });

  describe("the WebSocket upgrade's Origin", () => {
    const upgrade = (headers: Record<string, string>) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(`${server.url.replace("http", "ws")}/collab`, { headers });
        socket.once("open", () => {
          socket.close();
          resolve(101);
        });
        socket.once("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
        socket.once("error", () => resolve(-1));
      });

    it("a foreign Origin is refused before the upgrade, the app's own is accepted", async () => {
      expect(await upgrade({ origin: "http://evil.example" })).toBe(403);
      expect(await upgrade({ origin: server.url })).toBe(101);
    });

    it("a browser without an Origin is refused; a program without one may try its token", async () => {
      expect(await upgrade({ "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0" })).toBe(403);
      expect(await upgrade({})).toBe(101);
    });
  });
});
