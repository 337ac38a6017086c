import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { RECONNECT } from "../../editor/reconnect.ts";
import { asUser, signUp } from "../support/accounts.ts";
import { connectClient, eventually, type TestClient } from "../support/client.ts";
import { backends, freshStorage, type ServerProcess, type Storage, startServer } from "../support/server.ts";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.ts";
import { metricSample } from "../support/wire.ts";

/** Seconds the network stays cut; `npm run test:soak` repeats the cut more times. */
const CUT_SECONDS = 30;
const CUTS = Number(process.env.NETWORK_DROP_CUTS ?? 1);
const WRITERS_PER_SIDE = 3;

// One storage backend is enough here: the subject is the network, and the cut alone takes 30 s.
const backend = backends().at(-1)!;

describe(`a network drop on ${backend} storage`, () => {
  let storage: Storage;
  let server: ServerProcess;
  const proxies: TcpProxy[] = [];
  const clients: TestClient[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    for (const proxy of proxies.splice(0)) await proxy.close();
    await server?.stop();
    await storage?.dispose();
  });

  it(
    `half the writers cut off for ${CUT_SECONDS} s while everyone types converge byte for byte, each token exactly once`,
    { timeout: 60_000 + CUTS * 75_000 },
    async () => {
      storage = await freshStorage(backend);
      server = await startServer(storage);
      const owner = await signUp(server.url, "Network");
      const { id } = await owner.createDocument("Network drop");
      const token = () => asUser(server.url, owner).collabToken(id);
      const cutSide = await startTcpProxy(server.url);
      const steadySide = await startTcpProxy(server.url);
      proxies.push(cutSide, steadySide);
      const join = (proxy: TcpProxy) => {
        const client = connectClient(proxy.url, id, token, { messageReconnectTimeout: RECONNECT.messageReconnectTimeout });
        clients.push(client);
        return client;
      };
      const cut = Array.from({ length: WRITERS_PER_SIDE }, () => join(cutSide));
      const steady = Array.from({ length: WRITERS_PER_SIDE }, () => join(steadySide));
      const everyone = [...cut, ...steady];
      await Promise.all(everyone.map((client) => client.synced()));

      const typed: string[] = [];
      let typing = true;
      const typists = everyone.map(async (client, index) => {
        for (let n = 0; typing; n++) {
          const token = `w${index}-t${n}`;
          client.type(token);
          typed.push(token);
          await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 100));
        }
      });

      for (let round = 0; round < CUTS; round++) {
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        const deadBefore = metricSample(await (await fetch(`${server.url}/metrics`)).text(), "inkwell_dead_connections_total");
        const noticed = cut.map((client) => {
          const socket = client.provider.configuration.websocketProvider;
          return new Promise<number>((resolve) => socket.on("disconnect", () => resolve(Date.now())));
        });
        const cutAt = Date.now();
        cutSide.cut();

        // Both ends notice a silent peer by heartbeats: the server drops the sockets, the clients give up on theirs.
        let serverNoticedAt: number | undefined;
        while (Date.now() - cutAt < CUT_SECONDS * 1000) {
          const dead = metricSample(await (await fetch(`${server.url}/metrics`)).text(), "inkwell_dead_connections_total");
          if (serverNoticedAt === undefined && dead - deadBefore >= WRITERS_PER_SIDE) serverNoticedAt = Date.now();
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        expect(serverNoticedAt, "the server dropped every silent socket within the cut").toBeDefined();
        const serverNoticedAfter = serverNoticedAt! - cutAt;
        const clientsNoticedAfter = Math.max(...(await Promise.all(noticed))) - cutAt;
        expect(clientsNoticedAfter).toBeLessThanOrEqual(CUT_SECONDS * 1000);
        const unsavedDuringCut = cut.map((client) => client.provider.unsyncedChanges);
        expect(Math.min(...unsavedDuringCut)).toBeGreaterThan(0);
        cutSide.restore();
        await Promise.all(cut.map((client) => client.synced()));
        console.log(
          `network drop ${round + 1}/${CUTS}: server dropped ${WRITERS_PER_SIDE} silent sockets after ${(serverNoticedAfter / 1000).toFixed(1)} s, ` +
            `clients gave up on theirs after ${(clientsNoticedAfter / 1000).toFixed(1)} s; ${unsavedDuringCut.join("/")} unsaved changes kept through the cut`,
        );
      }

      typing = false;
      await Promise.all(typists);
      await Promise.all(everyone.map((client) => client.saved()));
      await eventually(() => everyone.every((client) => client.text() === everyone[0].text()), "every replica holds the same text", 15_000);

      // A reader that never saw the cut loads what the server stored.
      const reader = connectClient(server.url, id, token);
      clients.push(reader);
      await reader.synced();
      const reference = Y.encodeStateAsUpdate(reader.doc);
      for (const client of everyone) expect(Buffer.from(Y.encodeStateAsUpdate(client.doc)).equals(Buffer.from(reference))).toBe(true);

      const lines = reader.text().split("\n").filter(Boolean);
      const counts = new Map<string, number>();
      for (const line of lines) counts.set(line, (counts.get(line) ?? 0) + 1);
      const missing = typed.filter((token) => !counts.has(token));
      const duplicated = [...counts].filter(([, count]) => count > 1);
      console.log(`network drop: ${typed.length} tokens typed by ${everyone.length} writers, ${missing.length} missing, ${duplicated.length} duplicated, ${everyone.length + 1} replicas byte-identical`);
      expect(missing).toEqual([]);
      expect(duplicated).toEqual([]);
      expect(lines.length).toBe(typed.length);
    },
  );
});
