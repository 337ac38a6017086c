import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { moveToFreshClientId } from "../../editor/fresh-client-id.ts";

const paragraph = (text: string) => {
  const element = new Y.XmlElement("paragraph");
  element.insert(0, [new Y.XmlText(text)]);
  return element;
};
const textOf = (doc: Y.Doc, index: number) => (doc.getXmlFragment("default").get(index) as Y.XmlElement).get(0) as Y.XmlText;
const sync = (from: Y.Doc, to: Y.Doc) => Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));

describe("moving a writer's content to a fresh client id", () => {
  it("keeps the document exactly as the writer sees it, with nothing left under the taken id", () => {
    const server = new Y.Doc();
    server.getXmlFragment("default").insert(0, [paragraph("shared opening line")]);
    const writer = new Y.Doc();
    sync(server, writer);
    // Offline: typing inside someone else's text, formatting, deleting, a new heading.
    textOf(writer, 0).insert(6, "and edited ", { bold: true });
    textOf(writer, 0).delete(0, 7);
    const heading = new Y.XmlElement("heading");
    heading.setAttribute("level", "2");
    heading.insert(0, [new Y.XmlText("written offline")]);
    writer.getXmlFragment("default").insert(1, [heading]);
    (heading.get(0) as Y.XmlText).format(0, 7, { italic: true });
    (heading.get(0) as Y.XmlText).delete(8, 3);

    const moved = moveToFreshClientId(writer, writer.clientID);

    expect(moved.getXmlFragment("default").toString()).toBe(writer.getXmlFragment("default").toString());
    expect(moved.store.clients.has(writer.clientID)).toBe(false);
    expect(moved.store.clients.has(moved.clientID)).toBe(true);
    expect(moved.store.pendingStructs).toBeNull();
  });

  it("merges with a forgery under the taken id and with others' edits, duplicating nothing", () => {
    const server = new Y.Doc();
    server.getXmlFragment("default").insert(0, [paragraph("before anyone went offline")]);
    const writer = new Y.Doc();
    sync(server, writer);
    writer.getXmlFragment("default").insert(1, [paragraph("victim-offline-line")]);

    // Meanwhile another editor writes under the writer's client id, and someone else edits.
    const mallory = new Y.Doc();
    mallory.clientID = writer.clientID;
    sync(server, mallory);
    mallory.getXmlFragment("default").insert(1, [paragraph("FORGED-BY-MALLORY")]);
    sync(mallory, server);
    const other = new Y.Doc();
    sync(server, other);
    textOf(other, 0).insert(0, "Edited ");
    sync(other, server);

    const moved = moveToFreshClientId(writer, writer.clientID);
    sync(moved, server);
    sync(server, moved);

    const merged = server.getXmlFragment("default").toString();
    expect(moved.getXmlFragment("default").toString()).toBe(merged);
    expect(server.store.pendingStructs).toBeNull();
    expect(merged.match(/victim-offline-line/g)).toHaveLength(1);
    expect(merged.match(/before anyone went offline/g)).toHaveLength(1);
    expect(merged).toContain("Edited before");
    expect(merged).toContain("FORGED-BY-MALLORY");
  });
});
