import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { asUser, cookieOf, PASSWORD, signInAs, signUp, type TestUser } from "../support/accounts.ts";
import { connectClient, eventually, type TestClient } from "../support/client.ts";
import { backends, freshStorage, type ServerProcess, type Storage, startServer } from "../support/server.ts";

const FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

/** Signs the user in once more from another device (user agent and address), as a second browser would. */
async function signInFrom(server: ServerProcess, user: TestUser, userAgent: string, address: string): Promise<TestUser> {
  const response = await fetch(`${server.url}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.url, "x-forwarded-for": address, "user-agent": userAgent },
    body: JSON.stringify({ email: user.email, password: PASSWORD }),
  });
  expect(response.status).toBe(200);
  return asUser(server.url, { ...user, cookie: cookieOf(response) });
}

for (const backend of backends()) {
  describe(`profile and sessions (${backend})`, () => {
    let storage: Storage;
    let server: ServerProcess;
    const clients: TestClient[] = [];

    beforeAll(async () => {
      storage = await freshStorage(backend);
      server = await startServer(storage);
    });

    afterEach(() => {
      for (const client of clients.splice(0)) client.destroy();
    });

    afterAll(async () => {
      await server?.stop();
      await storage?.dispose();
    });

    it("a new name and colour show in /api/me and in presence on the next connect to a document", async () => {
      const ada = await signUp(server.url, "Ada");
      const { id } = await ada.createDocument("Profile");
      const changed = await ada.request("/api/me", { method: "PATCH", body: JSON.stringify({ name: "  Ada Lovelace ", color: "#2F63C8" }) });
      expect(changed.status).toBe(200);
      expect(await changed.json()).toMatchObject({ name: "Ada Lovelace", color: "#2f63c8" });
      expect(await (await ada.request("/api/me")).json()).toMatchObject({ name: "Ada Lovelace", color: "#2f63c8" });

      const observer = connectClient(server.url, id, () => ada.collabToken(id));
      const writer = connectClient(server.url, id, () => ada.collabToken(id));
      clients.push(observer, writer);
      await Promise.all([observer.synced(), writer.synced()]);
      writer.provider.setAwarenessField("cursor", { anchor: 0, head: 0 });
      await eventually(() => observer.provider.awareness!.getStates().get(writer.doc.clientID)?.user !== undefined, "the observer sees the writer");
      expect(observer.provider.awareness!.getStates().get(writer.doc.clientID)?.user).toEqual({ name: "Ada Lovelace", color: "#2f63c8" });

      // Back to the colour the account was given.
      const reset = await (await ada.request("/api/me", { method: "PATCH", body: JSON.stringify({ color: null }) })).json();
      expect(reset.color).toMatch(/^#[0-9a-f]{6}$/);
      expect(reset.color).not.toBe("#2f63c8");
    });

    it("a colour initials cannot be read on, a bad name or a bad body is refused with a sentence, and nothing changes", async () => {
      const bob = await signUp(server.url, "Bob");
      const refusals: [unknown, string | RegExp][] = [
        [{ color: "#ffff00" }, /too light to see as a cursor on the page \(contrast 1\.07:1 with white, at least 3:1 is needed\)/],
        [{ color: "#888888" }, /too dull for initials to be read on it \(contrast 4\.\d\d:1, at least 4.5:1 is needed\)/],
        [{ color: "red" }, "Choose a colour as #rrggbb, for example #2f63c8."],
        [{ color: 12 }, "Choose a colour as #rrggbb, for example #2f63c8."],
        [{ name: "   " }, "Enter your name. Others see it next to your cursor."],
        [{ name: "x".repeat(81) }, "Your name can be at most 80 characters."],
        [{}, "say what to change: name, color or both"],
        [[], "body must be a JSON object"],
      ];
      for (const [body, message] of refusals) {
        const response = await bob.request("/api/me", { method: "PATCH", body: JSON.stringify(body) });
        expect(response.status, JSON.stringify(body)).toBe(400);
        expect((await response.json()).error).toMatch(message);
      }
      expect(await (await bob.request("/api/me")).json()).toMatchObject({ name: "Bob" });
      expect((await fetch(`${server.url}/api/me`, { method: "PATCH", body: JSON.stringify({ name: "Anon" }), headers: { "content-type": "application/json", origin: server.url } })).status).toBe(401);
    });

    it("lists the user's sessions with device, address and times, marks this one, and signs out one or all the others", async () => {
      const carol = await signUp(server.url, "Carol");
      const laptop = await signInFrom(server, carol, FIREFOX, "198.51.100.7");
      const phone = await signInFrom(server, carol, IPHONE, "203.0.113.9");

      const listed = await laptop.request("/api/me/sessions");
      expect(listed.status).toBe(200);
      const { sessions } = await listed.json();
      expect(sessions).toHaveLength(3);
      expect(JSON.stringify(sessions)).not.toMatch(/token/i);
      const mine = sessions.find((session: { current: boolean }) => session.current);
      expect(mine).toMatchObject({ device: "Firefox on Windows", address: "198.51.100.7" });
      expect(sessions).toContainEqual(expect.objectContaining({ device: "Safari on iPhone", address: "203.0.113.9", current: false }));
      expect(Date.parse(mine.createdAt)).toBeLessThanOrEqual(Date.parse(mine.lastActiveAt));

      // One session signed out: the phone.
      const phoneSession = sessions.find((session: { device: string }) => session.device === "Safari on iPhone");
      expect((await laptop.request(`/api/me/sessions/${phoneSession.id}`, { method: "DELETE" })).status).toBe(204);
      expect((await phone.request("/api/me")).status).toBe(401);
      expect((await laptop.request("/api/me")).status).toBe(200);

      // Every other one: the first browser goes, this one stays.
      expect((await laptop.request("/api/me/sessions", { method: "DELETE" })).status).toBe(204);
      expect((await carol.request("/api/me")).status).toBe(401);
      expect((await laptop.request("/api/me")).status).toBe(200);
      expect((await (await laptop.request("/api/me/sessions")).json()).sessions).toHaveLength(1);
    });

    it("nobody can sign out another user's session by its id, nor list sessions with an API token", async () => {
      const victim = await signUp(server.url, "Victim");
      const attacker = await signUp(server.url, "Attacker");
      const [victimSession] = (await (await victim.request("/api/me/sessions")).json()).sessions;
      const attempt = await attacker.request(`/api/me/sessions/${victimSession.id}`, { method: "DELETE" });
      expect(attempt.status).toBe(404);
      expect((await attempt.json()).error).toBe("you have no session with that id");
      expect((await victim.request("/api/me")).status).toBe(200);

      const token = await attacker.apiToken();
      const byToken = await fetch(`${server.url}/api/me/sessions`, { headers: { authorization: `Bearer ${token}` } });
      expect(byToken.status).toBe(403);
      expect((await fetch(`${server.url}/api/me/sessions`)).status).toBe(401);
      // A second sign-in of the victim is unaffected too.
      expect((await signInAs(server.url, victim.email, PASSWORD)).status).toBe(200);
    });
  });
}
