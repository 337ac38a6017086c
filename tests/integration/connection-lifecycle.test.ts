import { afterEach, describe, expect, it } from "vitest";
import { asUser, signUp, type TestUser } from "../support/accounts.ts";
import { connectClient, type TestClient } from "../support/client.ts";
import { backends, freshStorage, type ServerProcess, type Storage, startServer } from "../support/server.ts";

describe.each(backends())("connection lifecycle on %s storage", (backend) => {
  let storage: Storage;
  const servers: ServerProcess[] = [];
  const clients: TestClient[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    for (const server of servers.splice(0)) await server.stop();
    await storage?.dispose();
  });

  const start = async (env: Record<string, string> = {}) => {
    const server = await startServer(storage, env);
    servers.push(server);
    return server;
  };
  const join = (url: string, owner: TestUser, id: string, tuning: { messageReconnectTimeout?: number } = {}) => {
    const client = connectClient(url, id, () => asUser(url, owner).collabToken(id), tuning);
    clients.push(client);
    return client;
  };
  const disconnects = (client: TestClient) => {
    const codes: number[] = [];
    client.provider.configuration.websocketProvider.on("disconnect", ({ event }: { event?: { code?: number } }) => codes.push(event?.code ?? 0));
    return codes;
  };

  it("an idle writer with nothing to send stays connected, kept alive by the server's heartbeat", async () => {
    storage = await freshStorage(backend);
    const server = await start({ HEARTBEAT_SECONDS: "1" });
    const owner = await signUp(server.url, "Idle");
    const { id } = await owner.createDocument();
    // Gives up on a socket after 3 s of silence, so only the server's pings can keep it open.
    const idle = join(server.url, owner, id, { messageReconnectTimeout: 3_000 });
    await idle.synced();
    const dropped = disconnects(idle);
    let pings = 0;
    idle.provider.configuration.websocketProvider.on("message", (event: MessageEvent) => {
      if (new Uint8Array(event.data as ArrayBuffer).length === 1) pings++;
    });

    await new Promise((resolve) => setTimeout(resolve, 8_000));
    console.log(`heartbeat: ${pings} pings in 8 s of silence, ${dropped.length} disconnects`);
    expect(dropped).toEqual([]);
    expect(pings).toBeGreaterThanOrEqual(6);
  });

  it("SIGTERM while writers type: everything typed is saved, writers are told to reconnect quietly (1012), the process exits 0", async () => {
    storage = await freshStorage(backend);
    const first = await start();
    const owner = await signUp(first.url, "Restart");
    const { id } = await owner.createDocument();
    const writers = Array.from({ length: 3 }, () => join(first.url, owner, id));
    await Promise.all(writers.map((writer) => writer.synced()));
    const closeCodes = writers.map(disconnects);

    const typed: string[] = [];
    let typing = true;
    const typists = writers.map(async (writer, index) => {
      for (let n = 0; typing; n++) {
        writer.type(`w${index}-t${n}`);
        typed.push(`w${index}-t${n}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const stoppedAt = Date.now();
    const exitCode = await first.stop();
    const stopMs = Date.now() - stoppedAt;
    typing = false;
    await Promise.all(typists);

    expect(exitCode).toBe(0);
    expect(closeCodes.map((codes) => codes[0])).toEqual([1012, 1012, 1012]);
    expect(first.logs.filter((line) => line.includes('"level":50') || line.includes('"level":60'))).toEqual([]);

    // Same port, so the writers' own reconnect finds it.
    await start({ PORT: new URL(first.url).port });
    await Promise.all(writers.map((writer) => writer.saved()));
    const reader = join(first.url, owner, id);
    await reader.synced();
    const lines = reader.text().split("\n").filter(Boolean);
    const missing = typed.filter((token) => !lines.includes(token));
    console.log(`sigterm: exit ${exitCode} after ${stopMs} ms, close codes ${closeCodes.map((codes) => codes[0]).join("/")}, ${typed.length} tokens typed, ${missing.length} missing after restart`);
    expect(missing).toEqual([]);
    expect(lines.length).toBe(typed.length);
  });
});
