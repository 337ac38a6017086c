import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { isSharingError, Sharing } from "../../server/accounts/sharing.ts";
import { type Database, openDatabase } from "../../server/db/database.ts";
import { DocumentStore } from "../../server/documents/store.ts";
import { PASSWORD, postSignUp, signUp, type TestUser } from "../support/accounts.ts";
import { backends, freshStorage, type ServerProcess, type Storage, startServer } from "../support/server.ts";
import { startSmtpServer, type TestSmtpServer } from "../support/smtp.ts";

const tokenOf = (url: string) => new URL(url).pathname.split("/").at(-1)!;

async function invite(owner: TestUser, documentId: string, email: string, role: string) {
  const response = await owner.request(`/api/documents/${documentId}/members`, { method: "POST", body: JSON.stringify({ email, role }) });
  expect(response.status).toBe(201);
  return (await response.json()).invitation as { email: string; role: string; url: string; emailed: boolean; expiresAt: string; expired: boolean };
}

describe.each(backends())("invitations and sign-up, on %s storage", (backend) => {
  let storage: Storage;
  let server: ServerProcess;
  let smtp: TestSmtpServer;
  let owner: TestUser;
  let documentId: string;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    storage = await freshStorage(backend);
    server = await startServer(storage, { SMTP_URL: smtp.url, MAIL_FROM: "Inkwell Test <inkwell@test.example>" });
    owner = await signUp(server.url, "Olive Owner");
    documentId = (await owner.createDocument("Quarterly numbers")).id;
  });
  afterAll(async () => {
    await server?.stop();
    await storage?.dispose();
    await smtp?.close();
  });

  it("an invitation's link arrives by email, works once for whoever holds it, and a second use is told it was used", async () => {
    const invitation = await invite(owner, documentId, "newcomer@corp.test", "editor");
    expect(invitation).toMatchObject({ email: "newcomer@corp.test", role: "editor", emailed: true, expired: false });
    expect(invitation.url).toMatch(new RegExp(`^${server.url}/invite/[A-Za-z0-9_-]{32}$`));
    const mail = await smtp.mailTo("newcomer@corp.test");
    expect(mail.subject).toContain("Quarterly numbers");
    expect(mail.text).toContain(invitation.url);
    expect(mail.raw).toMatch(/^From: Inkwell Test <inkwell@test\.example>/m);

    // Signed out, the page offers sign-in and sign-up that come back to it.
    const page = await (await fetch(invitation.url)).text();
    expect(page).toContain("Quarterly numbers");
    expect(page).toContain(`/sign-up?next=${encodeURIComponent(`/invite/${tokenOf(invitation.url)}`)}`);

    const newcomer = await signUp(server.url, "Newcomer", "newcomer@corp.test");
    expect((await newcomer.request(`/api/documents/${documentId}`)).status).toBe(404);
    const accepted = await newcomer.request(`/api/invitations/${tokenOf(invitation.url)}`, { method: "POST" });
    expect(await accepted.json()).toEqual({ url: `/d/${documentId}`, role: "editor" });
    expect(await (await newcomer.request(`/api/documents/${documentId}`)).json()).toMatchObject({ role: "editor" });

    const latecomer = await signUp(server.url, "Latecomer");
    const again = await latecomer.request(`/api/invitations/${tokenOf(invitation.url)}`, { method: "POST" });
    expect(again.status).toBe(410);
    expect((await again.json()).error).toMatch(/already used/);
    expect((await latecomer.request(`/api/documents/${documentId}`)).status).toBe(404);
    expect((await latecomer.request(`/api/invitations/${randomUUID()}`, { method: "POST" })).status).toBe(404);

    const sharing = await (await owner.request(`/api/documents/${documentId}/sharing`)).json();
    expect(sharing.invitations).toEqual([]);
    expect(sharing.members).toContainEqual(expect.objectContaining({ userId: newcomer.id, role: "editor" }));
  });

  it("an owner gets a fresh link for a pending invitation, and the old one stops working", async () => {
    const first = await invite(owner, documentId, "renewed@corp.test", "viewer");
    const renewed = await owner.request(`/api/documents/${documentId}/invitations/renewed%40corp.test/link`, { method: "POST" });
    expect(renewed.status).toBe(201);
    const second = (await renewed.json()).invitation;
    expect(second).toMatchObject({ email: "renewed@corp.test", role: "viewer", emailed: true });
    expect(second.url).not.toBe(first.url);

    const holder = await signUp(server.url, "Holder");
    expect((await holder.request(`/api/invitations/${tokenOf(first.url)}`, { method: "POST" })).status).toBe(404);
    expect(await (await holder.request(`/api/invitations/${tokenOf(second.url)}`, { method: "POST" })).json()).toEqual({ url: `/d/${documentId}`, role: "viewer" });
  });

  it("signing up with an existing account's email answers exactly like a new sign-up, and the account's owner is told by email", async () => {
    const fresh = await postSignUp(server.url, { email: `fresh-${randomUUID().slice(0, 8)}@corp.test`, password: PASSWORD, name: "Fresh" });
    const existing = await postSignUp(server.url, { email: owner.email, password: "another password entirely", name: "Fresh" });
    expect(existing.status).toBe(200);
    expect(fresh.status).toBe(200);
    const shape = (body: { token: unknown; user: Record<string, unknown> }) => ({ token: body.token, keys: Object.keys(body.user).sort(), emailVerified: body.user.emailVerified });
    expect(shape(await existing.json())).toEqual(shape(await fresh.json()));
    const notice = await smtp.mailTo(owner.email);
    expect(notice.subject).toMatch(/tried to create an Inkwell account/);
    expect(notice.text).toContain(`${server.url}/sign-in`);
    // The existing account is untouched: its password still signs in, the other does not.
    expect((await owner.request("/api/me")).status).toBe(200);
  });

  it("DELETE of an invitation whose email parameter decodes to '%' answers 404, and a real one by its encoded email 204", async () => {
    const stray = await owner.request(`/api/documents/${documentId}/invitations/%25`, { method: "DELETE" });
    expect(stray.status).toBe(404);
    expect(await stray.json()).toEqual({ error: "no such invitation" });
    await invite(owner, documentId, "cancel.me+tag@corp.test", "viewer");
    expect((await owner.request(`/api/documents/${documentId}/invitations/${encodeURIComponent("cancel.me+tag@corp.test")}`, { method: "DELETE" })).status).toBe(204);
  });
});

describe.each(backends())("sign-up by invitation only (ALLOW_SIGNUP=false), on %s storage", (backend) => {
  let storage: Storage;
  let server: ServerProcess;

  beforeAll(async () => {
    storage = await freshStorage(backend);
    server = await startServer(storage, { ALLOW_SIGNUP: "false" });
  });
  afterAll(async () => {
    await server?.stop();
    await storage?.dispose();
  });

  it("invited and uninvited emails get the same answer; only the invitation link lets an account be made, and it grants nothing until accepted", async () => {
    const admin = await signUp(server.url, "Admin");
    const { id } = await admin.createDocument("Invite-only");
    const invitation = await invite(admin, id, "invited@corp.test", "owner");
    expect(invitation.emailed).toBe(false);

    // The review's probe: a too-short password, for an invited and an uninvited email.
    const probe = async (email: string) => {
      const started = performance.now();
      const response = await postSignUp(server.url, { email, password: "short", name: "Probe" });
      return { status: response.status, body: await response.text(), ms: performance.now() - started };
    };
    const invited = await probe("invited@corp.test");
    const uninvited = await probe("nobody@corp.test");
    console.log(`closed sign-up probe: invited ${invited.status} in ${invited.ms.toFixed(0)} ms, uninvited ${uninvited.status} in ${uninvited.ms.toFixed(0)} ms`);
    expect({ status: invited.status, body: invited.body }).toEqual({ status: uninvited.status, body: uninvited.body });
    expect(invited.status).toBe(403);
    expect((await postSignUp(server.url, { email: "invited@corp.test", password: PASSWORD, name: "Impostor" })).status).toBe(403);

    // The link's holder may sign up (with whatever address), and the account has nothing until it accepts.
    const holder = await signUp(server.url, "Holder", "holder@corp.test", { invitationToken: tokenOf(invitation.url) });
    expect((await holder.request(`/api/documents/${id}`)).status).toBe(404);
    expect((await holder.request(`/api/invitations/${tokenOf(invitation.url)}`, { method: "POST" })).status).toBe(200);
    expect(await (await holder.request(`/api/documents/${id}`)).json()).toMatchObject({ role: "owner" });
    // Used up, the link opens sign-up no more.
    expect((await postSignUp(server.url, { email: "second@corp.test", password: PASSWORD, name: "Second", invitationToken: tokenOf(invitation.url) })).status).toBe(403);
  });
});

describe.each(backends())("the sharing module against the database, on %s", (backend) => {
  let storage: Storage;
  let database: Database;
  let clock = Date.now();
  let sharing: Sharing;
  let documentId: string;

  const user = async (name: string) =>
    (await database.prisma.user.create({ data: { id: randomUUID(), name, email: `${name.toLowerCase()}-${randomUUID().slice(0, 6)}@corp.test` } })).id;

  beforeAll(async () => {
    storage = await freshStorage(backend);
    database = await openDatabase(storage);
    sharing = new Sharing(database.prisma, { now: () => new Date(clock) });
  });
  afterAll(async () => {
    await database?.close();
    await storage?.dispose();
  });
  afterEach(() => {
    clock = Date.now();
  });

  it("an invitation link expires after 14 days: it neither admits nor opens sign-up, and a fresh one works", async () => {
    const ownerId = await user("Owner");
    documentId = (await new DocumentStore(database.prisma).create("Expiring", ownerId)).id;
    const shared = await sharing.share(documentId, "late@corp.test", "editor", ownerId);
    if (!("invitation" in shared)) throw new Error("expected an invitation");
    const token = shared.invitation.path.split("/").at(-1)!;
    expect(await sharing.isPendingInvitationToken(token)).toBe(true);

    clock += 14 * 24 * 60 * 60 * 1000 + 1;
    expect(await sharing.isPendingInvitationToken(token)).toBe(false);
    expect((await sharing.describeInvitation(token))?.state).toBe("expired");
    expect((await sharing.list(documentId, true)).invitations).toEqual([expect.objectContaining({ email: "late@corp.test", expired: true })]);
    const lateUser = await user("Late");
    const refusal = await sharing.acceptInvitation(token, lateUser).catch((error: unknown) => error);
    expect(isSharingError(refusal) && [refusal.status, refusal.message]).toEqual([410, expect.stringMatching(/expired/)]);
    expect(await sharing.list(documentId, true).then((listed) => listed.members.map((member) => member.userId))).toEqual([ownerId]);

    const fresh = await sharing.reissueInvitation(documentId, "late@corp.test");
    expect(await sharing.acceptInvitation(fresh!.path.split("/").at(-1)!, lateUser)).toEqual({ documentId, role: "editor" });
  });

  it.runIf(backend === "postgres")("two owners demoting each other at the same moment: exactly one succeeds, and one owner remains (20 rounds)", async () => {
    for (let round = 0; round < 20; round++) {
      const [a, b] = [await user("Ann"), await user("Bob")];
      const { id } = await new DocumentStore(database.prisma).create(`Race ${round}`, a);
      await sharing.share(id, (await database.prisma.user.findUniqueOrThrow({ where: { id: b } })).email, "owner", a);
      const results = await Promise.allSettled([sharing.setRole(id, a, "editor"), sharing.setRole(id, b, "editor")]);
      const refused = results.filter((result) => result.status === "rejected");
      expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
      expect(refused.map((result) => isSharingError(result.reason) && result.reason.status)).toEqual([409]);
      expect(await database.prisma.documentMember.count({ where: { documentId: id, role: "owner" } })).toBe(1);
    }
  });

  it.runIf(backend === "postgres")("two owners removing each other at the same moment leave one owner (20 rounds)", async () => {
    for (let round = 0; round < 20; round++) {
      const [a, b] = [await user("Cat"), await user("Dan")];
      const { id } = await new DocumentStore(database.prisma).create(`Race removal ${round}`, a);
      await database.prisma.documentMember.create({ data: { documentId: id, userId: b, role: "owner" } });
      const results = await Promise.allSettled([sharing.removeMember(id, a), sharing.removeMember(id, b)]);
      expect(results.map((result) => result.status).sort()).toEqual(["fulfilled", "rejected"]);
      expect(await database.prisma.documentMember.count({ where: { documentId: id, role: "owner" } })).toBe(1);
    }
  });
});
