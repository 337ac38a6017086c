import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { asUser, cookieOf, PASSWORD, share, signUp } from "../support/accounts.ts";
import { connectClient } from "../support/client.ts";
import { freshStorage, ROOT, type ServerProcess, type Storage, startServer } from "../support/server.ts";

const run = promisify(execFile);

/** Signs in through Better Auth's endpoint, as the sign-in page does; returns the session cookie. */
async function signIn(baseUrl: string, email: string, password: string): Promise<Response> {
  return fetch(`${baseUrl}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl },
    body: JSON.stringify({ email, password }),
  });
}


// Accounts live in the same tables on either storage; the embedded one needs no service.
describe("accounts", () => {
  let storage: Storage;
  let server: ServerProcess | undefined;

  afterEach(async () => {
    await server?.stop();
    server = undefined;
    await storage?.dispose();
  });

  it("the first account is the instance admin, later ones are not, and sessions are httpOnly SameSite cookies", async () => {
    storage = await freshStorage("embedded");
    server = await startServer(storage);
    const first = await signUp(server.url, "First");
    const second = await signUp(server.url, "Second");
    expect((await (await first.request("/api/me")).json()).isAdmin).toBe(true);
    expect((await (await second.request("/api/me")).json()).isAdmin).toBe(false);

    const signedIn = await signIn(server.url, second.email, PASSWORD);
    expect(signedIn.status).toBe(200);
    const sessionCookie = signedIn.headers.getSetCookie().find((header) => header.startsWith("inkwell.session_token="))!;
    expect(sessionCookie).toMatch(/HttpOnly/i);
    expect(sessionCookie).toMatch(/SameSite=Lax/i);
    expect((await signIn(server.url, second.email, "wrong password")).status).toBe(401);
  });

  it("with ALLOW_SIGNUP=false only the first account and holders of an invitation link can sign up, and the link becomes a role", async () => {
    storage = await freshStorage("embedded");
    server = await startServer(storage, { ALLOW_SIGNUP: "false" });
    const admin = await signUp(server.url, "Admin");
    const refused = await fetch(`${server.url}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: server.url },
      body: JSON.stringify({ email: "stranger@example.com", password: PASSWORD, name: "Stranger" }),
    });
    expect(refused.status).toBe(403);
    expect((await refused.json()).message).toMatch(/invitation only/);

    const { id } = await admin.createDocument("Invite-only");
    const invited = await admin.request(`/api/documents/${id}/members`, { method: "POST", body: JSON.stringify({ email: "Guest@Example.com", role: "editor" }) });
    const { invitation } = await invited.json();
    expect(invitation).toMatchObject({ email: "guest@example.com", role: "editor", emailed: false, url: expect.stringMatching(/\/invite\//) });
    const token = new URL(invitation.url).pathname.split("/").at(-1)!;

    const guest = await signUp(server.url, "Guest", "guest@example.com", { invitationToken: token });
    expect((await (await guest.request("/api/documents")).json()).documents).toEqual([]);
    expect((await guest.request(`/api/invitations/${token}`, { method: "POST" })).status).toBe(200);
    const listed = await (await guest.request("/api/documents")).json();
    expect(listed.documents).toEqual([expect.objectContaining({ id, title: "Invite-only", role: "editor" })]);
    const sharing = await (await admin.request(`/api/documents/${id}/sharing`)).json();
    expect(sharing.invitations).toEqual([]);
    expect(sharing.members.map((m: { email: string; role: string }) => [m.email, m.role])).toEqual([
      [admin.email, "owner"],
      ["guest@example.com", "editor"],
    ]);
  });

  it("a document keeps at least one owner", async () => {
    storage = await freshStorage("embedded");
    server = await startServer(storage);
    const owner = await signUp(server.url, "Owner");
    const other = await signUp(server.url, "Other");
    const { id } = await owner.createDocument();
    const demote = await owner.request(`/api/documents/${id}/members/${owner.id}`, { method: "PATCH", body: JSON.stringify({ role: "editor" }) });
    expect(demote.status).toBe(409);
    expect((await demote.json()).error).toMatch(/at least one owner/);
    await share(owner, id, other.email, "owner");
    expect((await owner.request(`/api/documents/${id}/members/${owner.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await owner.request(`/api/documents/${id}`)).status).toBe(404);
    expect((await other.request(`/api/documents/${id}`)).status).toBe(200);
  });

  it("a personal API token lets a script use the API and join a document over the WebSocket, until it is revoked", async () => {
    storage = await freshStorage("embedded");
    server = await startServer(storage);
    const writer = await signUp(server.url, "Scripted");
    const { id } = await writer.createDocument("Script target");
    const created = await (await writer.request("/api/tokens", { method: "POST", body: JSON.stringify({ name: "nightly export" }) })).json();
    expect(created.token).toMatch(/^iwk_/);
    const listedTokens = await (await writer.request("/api/tokens")).json();
    expect(JSON.stringify(listedTokens)).not.toContain(created.token);

    // What the README's curl example does, without cookies.
    const bearer = (path: string, init: RequestInit = {}) =>
      fetch(`${server!.url}${path}`, { ...init, headers: { authorization: `Bearer ${created.token}`, "content-type": "application/json" } });
    expect((await (await bearer("/api/documents")).json()).documents.map((d: { id: string }) => d.id)).toEqual([id]);
    const { token } = await (await bearer(`/api/documents/${id}/collab-token`, { method: "POST" })).json();
    const client = connectClient(server.url, id, token);
    try {
      await client.synced();
      client.type("written by a script");
      await client.saved();
    } finally {
      client.destroy();
    }

    expect((await writer.request(`/api/tokens/${created.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await bearer("/api/documents")).status).toBe(401);
  });

  it("npm run admin creates accounts and tokens without a browser", async () => {
    storage = await freshStorage("embedded");
    const env = { ...process.env, DATA_DIR: storage.dataDir, DATABASE_URL: "", LOG_LEVEL: "warn" };
    const admin = (...args: string[]) => run("npm", ["run", "-s", "admin", "--", ...args], { cwd: ROOT, env });

    expect((await admin("create-user", "--email", "root@example.com", "--password", PASSWORD, "--admin")).stdout).toMatch(/Created admin account root@example.com/);
    const { stdout } = await admin("create-token", "--email", "root@example.com", "--name", "backup");
    const token = stdout.match(/iwk_[\w-]+/)![0];
    await expect(admin("create-user", "--email", "root@example.com", "--password", PASSWORD)).rejects.toMatchObject({ stderr: expect.stringMatching(/already exists/) });
    await expect(admin("create-user", "--email", "x@example.com", "--password", "short")).rejects.toMatchObject({ stderr: expect.stringMatching(/at least 8/) });

    server = await startServer(storage);
    const signedIn = await signIn(server.url, "root@example.com", PASSWORD);
    expect(signedIn.status).toBe(200);
    const me = await (await asUser(server.url, { id: "", email: "", name: "", cookie: cookieOf(signedIn) }).request("/api/me")).json();
    expect(me).toMatchObject({ email: "root@example.com", isAdmin: true });
    expect((await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });
});
