import mammoth from "mammoth";
import { afterEach, describe, expect, it } from "vitest";
import { asUser, share, signUp, type TestUser } from "../support/accounts.ts";
import { connectClient, eventually, type TestClient } from "../support/client.ts";
import { corpus } from "../support/corpus.ts";
import { backends, freshStorage, type ServerProcess, type Storage, startServer } from "../support/server.ts";

const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

describe.each(backends())("export and import over HTTP on %s storage", (backend) => {
  let storage: Storage;
  let server: ServerProcess;
  const clients: TestClient[] = [];
  let ada: TestUser;

  const connect = (user: TestUser, documentId: string) => {
    const onThisServer = asUser(server.url, user);
    const client = connectClient(server.url, documentId, () => onThisServer.collabToken(documentId));
    clients.push(client);
    return client;
  };
  const upload = (user: TestUser, form: FormData, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/api/documents`, { method: "POST", body: form, headers: { origin: server.url, cookie: user.cookie, ...headers } });

  const setUp = async (env: Record<string, string> = {}) => {
    storage = await freshStorage(backend);
    server = await startServer(storage, env);
    ada = await signUp(server.url, "Ada");
  };

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await server?.stop();
    await storage?.dispose();
  });

  it("a document typed in the editor downloads as Markdown, HTML, text, JSON and Word, from the server's stored state", async () => {
    await setUp();
    const { id } = await ada.createDocument("Quarterly notes");
    const writer = connect(ada, id);
    await writer.synced();
    writer.type("First point");
    writer.type("Second point");
    await writer.saved();
    writer.destroy();

    const get = (query: string) => ada.request(`/api/documents/${id}/content?${query}`);
    const markdown = await get("format=markdown");
    expect(markdown.headers.get("content-type")).toMatch(/^text\/markdown/);
    expect(await markdown.text()).toBe("First point\n\nSecond point\n");
    const html = await get("format=html&download=1");
    expect(html.headers.get("content-type")).toMatch(/^text\/html/);
    expect(html.headers.get("content-disposition")).toMatch(/^attachment; filename="Quarterly notes\.html"/);
    const page = await html.text();
    expect(page).toMatch(/^<!doctype html>/i);
    expect(page).toContain("<title>Quarterly notes</title>");
    expect(page).toContain("<p>First point</p>");
    expect(await (await get("format=text")).text()).toContain("First point\n\nSecond point");
    expect((await (await get("format=json")).json()).content).toHaveLength(2);
    const word = await get("format=docx&download=1");
    expect(word.headers.get("content-type")).toBe(DOCX);
    const read = await mammoth.extractRawText({ buffer: Buffer.from(await word.arrayBuffer()) });
    expect(read.value).toContain("First point");
    expect(read.value).toContain("Second point");
    expect((await get("format=pdf")).status).toBe(400);
  });

  it("importing a Markdown file creates a document the editor opens with its content, titled by its first heading", async () => {
    await setUp();
    const form = new FormData();
    form.append("file", new Blob(["# Trip plan\n\n- [x] Book trains\n- [ ] Pack\n\nSee **you** there.\n"], { type: "text/markdown" }), "trip.md");
    const response = await upload(ada, form);
    expect(response.status, await response.clone().text()).toBe(201);
    const created = await response.json();
    expect(created).toMatchObject({ title: "Trip plan", role: "owner", url: `/d/${created.id}` });
    const reader = connect(ada, created.id);
    await reader.synced();
    expect(reader.text()).toContain("Book trains");
    expect(reader.text()).toMatch(/^Trip plan\n/);
    const markdown = await (await ada.request(`/api/documents/${created.id}/content?format=markdown`)).text();
    expect(markdown).toContain("- [x] Book trains");
    expect(markdown).toContain("**you**");

    // The same from JSON, and from the corpus of everything the editor holds.
    const fromJson = await ada.request("/api/documents", { method: "POST", body: JSON.stringify({ title: "From JSON", content: { format: "json", data: corpus } }) });
    expect(fromJson.status).toBe(201);
    const exported = await (await ada.request(`/api/documents/${(await fromJson.json()).id}/content?format=json`)).json();
    expect(JSON.stringify(exported)).toContain("taskItem");
  });

  it("replacing the content of an open document is a forward change: the editor converges, and a before-import version keeps what was there", async () => {
    await setUp();
    const { id } = await ada.createDocument("Replace me");
    const writer = connect(ada, id);
    await writer.synced();
    writer.type("old text");
    await writer.saved();
    const replaced = await ada.request(`/api/documents/${id}/content`, { method: "PUT", headers: { "content-type": "text/markdown" }, body: "## New heading\n\nnew text" });
    expect(replaced.status, await replaced.clone().text()).toBe(200);
    await eventually(() => writer.text() === "New heading\nnew text", "the open editor shows the imported content");
    const versions = (await (await ada.request(`/api/documents/${id}/versions`)).json()).versions;
    expect(versions[0].kind).toBe("before-import");
    const before = await (await ada.request(`/api/documents/${id}/content?format=text&version=${versions[0].id}`)).text();
    expect(before).toContain("old text");
  });

  it("hostile HTML is reduced to the schema: no script, no handler, no javascript: link reaches the document", async () => {
    await setUp();
    const { id } = await ada.createDocument("Pasted page");
    const hostile = `<p onclick="steal()">Hello <a href="javascript:alert(document.cookie)">click</a> <a href="https://example.com">fine</a></p><script>globalThis.pwned = 1</script><img src=x onerror="fetch('http://127.0.0.1:9/')"><iframe src="https://evil.example"></iframe>`;
    const put = await ada.request(`/api/documents/${id}/content`, { method: "PUT", headers: { "content-type": "text/html" }, body: hostile });
    expect(put.status, await put.clone().text()).toBe(200);
    const html = await (await ada.request(`/api/documents/${id}/content?format=html`)).text();
    expect(html).toContain("Hello");
    expect(html).toContain('href="https://example.com"');
    expect(html).not.toMatch(/<script|onerror|onclick|javascript:|<iframe|pwned/i);
  });

  it("a bad file answers with a sentence and creates nothing: unsupported type 415, over the limit 413, not UTF-8 400, not a Word file 400", async () => {
    await setUp({ MAX_IMPORT_BYTES: "2048" });
    const before = (await (await ada.request("/api/documents")).json()).documents.length;
    const send = (bytes: BlobPart, type: string, name: string) => {
      const form = new FormData();
      form.append("file", new Blob([bytes], { type }), name);
      return upload(ada, form);
    };
    const answers = [
      await send("%PDF-1.4", "application/pdf", "scan.pdf"),
      await send("x".repeat(4096), "text/plain", "big.txt"),
      await send(new Uint8Array([0xff, 0xfe, 0xfd, 0x00, 0xc3]), "text/plain", "binary.txt"),
      await send("not a zip at all", DOCX, "report.docx"),
    ];
    const bodies = await Promise.all(answers.map(async (answer) => ({ status: answer.status, error: (await answer.json()).error as string })));
    expect(bodies.map((body) => body.status)).toEqual([415, 413, 400, 400]);
    for (const body of bodies) expect(body.error).toMatch(/^[A-Z].{20,}/);
    expect(bodies[1].error).toMatch(/MiB|KiB|bytes/);
    // A body far over the limit is refused before it is read.
    const huge = await fetch(`${server.url}/api/documents/${crypto.randomUUID()}/content`, {
      method: "PUT",
      headers: { origin: server.url, cookie: ada.cookie, "content-type": "text/plain" },
      body: "x".repeat(1024 * 1024),
    });
    expect(huge.status).toBe(413);
    expect((await (await ada.request("/api/documents")).json()).documents.length).toBe(before);
  });

  it("another site's form cannot post a file with someone's cookie, and a viewer cannot replace content", async () => {
    await setUp();
    const form = new FormData();
    form.append("file", new Blob(["# Planted"], { type: "text/markdown" }), "planted.md");
    expect((await upload(ada, form, { origin: "https://evil.example" })).status).toBe(403);
    const { id } = await ada.createDocument("Shared");
    const viewer = await signUp(server.url, "Vic");
    await share(ada, id, viewer.email, "viewer");
    const put = await viewer.request(`/api/documents/${id}/content`, { method: "PUT", headers: { "content-type": "text/plain" }, body: "defaced" });
    expect(put.status).toBe(403);
    expect(await (await viewer.request(`/api/documents/${id}/content?format=text`)).text()).not.toContain("defaced");
  });
});
