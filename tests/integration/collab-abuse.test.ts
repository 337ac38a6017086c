import { afterEach, describe, expect, it } from "vitest";
import { signUp, type TestUser } from "../support/accounts.ts";
import { connectClient, eventually, openRawSocket, type RawSocket, tally, type TestClient } from "../support/client.ts";
import { backends, freshStorage, type ServerProcess, type Storage, startServer } from "../support/server.ts";
import { authFrame, metricSample } from "../support/wire.ts";

/** Session-keyed routing keys, as a session-aware provider names its documents: `<id>\0s<n>`. */
const sessions = (documentId: string, count: number, from = 0) => Array.from({ length: count }, (_, n) => `${documentId}\0s${from + n}`);

/** A connected client's first word from the server: "synced", or the reason it was refused. */
const outcome = (client: TestClient) => Promise.race([client.synced().then(() => "synced"), client.refused()]);

describe.each(backends())("one socket cannot lock a document (%s)", (backend) => {
  let storage: Storage;
  let server: ServerProcess | undefined;
  const clients: TestClient[] = [];
  const sockets: RawSocket[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    for (const socket of sockets.splice(0)) socket.close();
    await server?.stop();
    server = undefined;
    await storage?.dispose();
  });

  const start = async (env: Record<string, string> = {}) => {
    storage = await freshStorage(backend);
    server = await startServer(storage, env);
    return server;
  };
  const join = (user: TestUser, documentId: string) => {
    const client = connectClient(server!.url, documentId, () => user.collabToken(documentId));
    clients.push(client);
    return client;
  };
  const rawSocket = async (headers: Record<string, string> = {}) => {
    const socket = await openRawSocket(server!.url, headers);
    sockets.push(socket);
    return socket;
  };
  /** A new account that opened a viewer link of the owner's document. */
  const viewerThroughLink = async (owner: TestUser, documentId: string, name = "Viewer") => {
    const link = await (await owner.request(`/api/documents/${documentId}/links`, { method: "POST", body: JSON.stringify({ role: "viewer" }) })).json();
    const viewer = await signUp(server!.url, name);
    const joined = await viewer.request(`/api/join/${link.url.split("/").at(-1)}`, { method: "POST" });
    expect(await joined.json()).toMatchObject({ role: "viewer" });
    return viewer;
  };

  it("a viewer's 250 session-keyed joins on one socket with one token get 20 in, and the owner still gets in", async () => {
    await start();
    const owner = await signUp(server!.url, "Owner");
    const { id } = await owner.createDocument("Besieged");
    const viewer = await viewerThroughLink(owner, id);

    const socket = await rawSocket();
    const answers = await socket.authenticateAll(sessions(id, 250), await viewer.collabToken(id));
    const counts = tally(answers.values());
    console.log(`one-socket siege: ${JSON.stringify(counts)}`);

    expect(await outcome(join(owner, id))).toBe("synced");
    expect(counts.authenticated).toBe(20);
    expect(counts["too-many-connections"]).toBe(230);
    const metrics = await (await fetch(`${server!.url}/metrics`)).text();
    expect(metricSample(metrics, 'inkwell_refused_connections_total{reason="too-many-connections"}')).toBe(230);
  });

  it("one user gets MAX_CONNECTIONS_PER_USER_PER_DOCUMENT connections to a document, others still get theirs, and a closed one frees its place", async () => {
    await start({ MAX_CONNECTIONS_PER_USER_PER_DOCUMENT: "3" });
    const owner = await signUp(server!.url, "Owner");
    const { id } = await owner.createDocument("Tabs");
    const tabs = [join(owner, id), join(owner, id), join(owner, id)];
    expect(await Promise.all(tabs.map(outcome))).toEqual(["synced", "synced", "synced"]);

    expect(await outcome(join(owner, id))).toBe("too-many-connections");
    const other = await viewerThroughLink(owner, id, "Other");
    expect(await outcome(join(other, id))).toBe("synced");

    tabs[0].destroy();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await outcome(join(owner, id))).toBe("synced");
  });

  it("sockets closed the moment they joined give their places back: 30 of them, then the same person still gets in", async () => {
    await start({ MAX_CONNECTIONS_PER_USER_PER_DOCUMENT: "5" });
    const owner = await signUp(server!.url, "Owner");
    const { id } = await owner.createDocument("Flaky network");
    const token = await owner.collabToken(id);
    for (let n = 0; n < 30; n++) {
      const socket = await openRawSocket(server!.url);
      // Gone while the server is still checking the join: a tab closed at once, a network that drops.
      await new Promise<void>((resolve) => socket.socket.send(authFrame(id, token), () => resolve()));
      socket.socket.terminate();
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await outcome(join(owner, id))).toBe("synced");
  });

  it("someone with five tabs of a document open edits in all of them", async () => {
    await start();
    const owner = await signUp(server!.url, "Busy");
    const { id } = await owner.createDocument("Five tabs");
    const tabs = Array.from({ length: 5 }, () => join(owner, id));
    expect(await Promise.all(tabs.map(outcome))).toEqual(Array(5).fill("synced"));
    tabs.forEach((tab, n) => tab.type(`from tab ${n}`));
    await Promise.all(tabs.map((tab) => tab.saved()));
    for (const tab of tabs) await eventually(() => tab.text().split("\n").length === 5, "every tab sees every tab's line");
  });

  it("one socket holds at most MAX_SESSIONS_PER_SOCKET sessions, over all its documents", async () => {
    await start({ MAX_SESSIONS_PER_SOCKET: "5" });
    const owner = await signUp(server!.url, "Multiplexer");
    const documents = [await owner.createDocument("One"), await owner.createDocument("Two"), await owner.createDocument("Three")];
    const socket = await rawSocket();
    const answers = [];
    for (const { id } of documents) answers.push(...(await socket.authenticateAll(sessions(id, 2), await owner.collabToken(id))).values());
    // The two sessions of the last document are checked at once: either may be the one refused.
    expect(tally(answers)).toEqual({ authenticated: 5, "too-many-sessions": 1 });
    // Another socket of the same person is not affected.
    const second = await rawSocket();
    const [{ id }] = documents;
    expect([...(await second.authenticateAll(sessions(id, 1, 10), await owner.collabToken(id))).values()]).toEqual(["authenticated"]);
  });

  it("viewers fill a document only up to its reserve: the owner still gets in when viewers are at the door", async () => {
    await start({ MAX_CLIENTS_PER_DOCUMENT: "10", MAX_CONNECTIONS_PER_USER_PER_DOCUMENT: "50" });
    const owner = await signUp(server!.url, "Owner");
    const { id } = await owner.createDocument("Reserved");
    const viewer = await viewerThroughLink(owner, id);
    const socket = await rawSocket();
    const counts = tally((await socket.authenticateAll(sessions(id, 20), await viewer.collabToken(id))).values());
    // 10 places, one of them (10 %, at least one) kept for owners and editors.
    expect(counts).toEqual({ authenticated: 9, "document-full": 11 });

    expect(await outcome(join(owner, id))).toBe("synced");
    // Now the document is full for everyone.
    expect(await outcome(join(owner, id))).toBe("document-full");
  });

  it("each further session a socket opens counts against MAX_CONNECTIONS_PER_MINUTE of its address, as a new socket does", async () => {
    await start({ MAX_CONNECTIONS_PER_MINUTE: "5", MAX_CONNECTIONS_PER_USER_PER_DOCUMENT: "50" });
    const owner = await signUp(server!.url, "Hurried");
    const { id } = await owner.createDocument("Rate");
    const address = { "x-forwarded-for": "198.51.100.9" };
    const socket = await rawSocket(address);
    const answers = [...(await socket.authenticateAll(sessions(id, 10), await owner.collabToken(id))).values()];
    // The socket took one of the five; its first session rides on it, four more pass.
    expect(answers).toEqual([...Array(5).fill("authenticated"), ...Array(5).fill("rate-limited")]);
    const late = await openRawSocket(server!.url, address);
    sockets.push(late);
    const code = await new Promise<number>((resolve) => late.socket.once("close", resolve));
    expect(code).toBe(4429);
  });
});
