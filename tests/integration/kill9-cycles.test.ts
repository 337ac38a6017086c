import { afterEach, describe, expect, it } from "vitest";
import { asUser, signUp, type TestUser } from "../support/accounts.ts";
import { connectClient, type TestClient } from "../support/client.ts";
import { backends, freshStorage, type ServerProcess, type Storage, startServer } from "../support/server.ts";

/** Cycles in CI; `npm run test:soak` raises it. */
const CYCLES = Number(process.env.KILL9_CYCLES ?? 10);
const WRITERS = 3;

/**
 * A writer typing as fast as acknowledgements allow; it records each line the moment the server has
 * acknowledged it (and so, by our promise, committed it).
 */
async function typeUntilStopped(client: TestClient, name: string, acknowledged: string[], stopped: () => boolean): Promise<void> {
  for (let line = 0; !stopped(); line++) {
    const text = `${name} line ${line}`;
    client.type(text);
    const saved = await Promise.race([client.saved().then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2_000))]);
    if (!saved || stopped()) return;
    acknowledged.push(text);
  }
}

describe.each(backends())("kill -9 while several writers type, on %s storage", (backend) => {
  let storage: Storage;
  let server: ServerProcess | undefined;

  afterEach(async () => {
    await server?.stop();
    await storage?.dispose();
  });

  // Each cycle restarts the server, a few seconds apiece.
  it(`loses no acknowledged update over ${CYCLES} kill/restart cycles, and stores each exactly once`, { timeout: 30_000 + CYCLES * 15_000 }, async () => {
    storage = await freshStorage(backend);
    server = await startServer(storage);
    const owner: TestUser = await signUp(server.url, "Killer");
    const { id } = await owner.createDocument("Kill -9");
    const everAcknowledged: string[] = [];

    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const url = server.url;
      const writers = Array.from({ length: WRITERS }, () => connectClient(url, id, () => asUser(url, owner).collabToken(id)));
      await Promise.all(writers.map((writer) => writer.synced()));
      let killed = false;
      const acknowledged: string[] = [];
      const typing = writers.map((writer, index) => typeUntilStopped(writer, `cycle ${cycle} writer ${index}`, acknowledged, () => killed));
      await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 700));
      await server.kill9();
      killed = true;
      // The browser tabs die with it: nothing unacknowledged gets a second chance to be sent.
      for (const writer of writers) writer.destroy();
      await Promise.all(typing);
      everAcknowledged.push(...acknowledged);

      server = await startServer(storage);
      const reader = connectClient(server.url, id, () => asUser(server!.url, owner).collabToken(id));
      await reader.synced();
      const lines = reader.text().split("\n");
      reader.destroy();
      const missing = everAcknowledged.filter((text) => !lines.includes(text));
      const duplicated = everAcknowledged.filter((text) => lines.filter((line) => line === text).length !== 1);
      expect({ cycle, missing, duplicated }).toEqual({ cycle, missing: [], duplicated: [] });
    }

    expect(everAcknowledged.length).toBeGreaterThan(CYCLES * WRITERS);
    console.log(`kill-9 (${backend}): 0 of ${everAcknowledged.length} acknowledged updates lost over ${CYCLES} cycles`);
  });
});
