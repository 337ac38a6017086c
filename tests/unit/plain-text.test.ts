import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { MAX_INDEXED_CHARACTERS, plainTextOf } from "../../server/search/plain-text.ts";

function paragraph(...children: (Y.XmlText | Y.XmlElement)[]): Y.XmlElement {
  const element = new Y.XmlElement("paragraph");
  element.insert(0, children);
  return element;
}

function element(name: string, children: (Y.XmlText | Y.XmlElement)[] = []): Y.XmlElement {
  const node = new Y.XmlElement(name);
  node.insert(0, children);
  return node;
}

describe("plainTextOf", () => {
  it("gives the editor's text with every block on its own line, without formatting", () => {
    const doc = new Y.Doc();
    const bold = new Y.XmlText();
    bold.insert(0, "Quarterly plan");
    bold.format(0, 9, { bold: {} });
    doc.getXmlFragment("default").insert(0, [
      element("heading", [bold]),
      paragraph(new Y.XmlText("First line"), element("hardBreak"), new Y.XmlText("second line")),
      element("bulletList", [element("listItem", [paragraph(new Y.XmlText("one"))]), element("listItem", [paragraph(new Y.XmlText("two"))])]),
      paragraph(),
      paragraph(new Y.XmlText("<img src=x onerror=alert(1)>")),
    ]);
    expect(plainTextOf(doc)).toBe("Quarterly plan\nFirst line\nsecond line\none\ntwo\n<img src=x onerror=alert(1)>");
  });

  it("leaves out deleted text and reads edits made after the first insert", () => {
    const doc = new Y.Doc();
    const text = new Y.XmlText("collaboration is hard");
    doc.getXmlFragment("default").insert(0, [paragraph(text)]);
    text.delete(17, 4);
    text.insert(17, "fun");
    text.insert(0, "Real-time ");
    expect(plainTextOf(doc)).toBe("Real-time collaboration is fun");
  });

  it("is empty for an empty document and for one whose field holds another type", () => {
    expect(plainTextOf(new Y.Doc())).toBe("");
    const foreign = new Y.Doc();
    foreign.getText("default").insert(0, "not the editor's");
    expect(plainTextOf(foreign)).toBe("");
  });

  it("turns NUL characters, which Postgres text cannot hold, into spaces", () => {
    const doc = new Y.Doc();
    doc.getXmlFragment("default").insert(0, [paragraph(new Y.XmlText("before\u0000after"))]);
    expect(plainTextOf(doc)).toBe("before after");
  });

  it("stops at the indexed maximum, so a very long document cannot overflow its tsvector", () => {
    const doc = new Y.Doc();
    const line = "x".repeat(999);
    doc.getXmlFragment("default").insert(0, Array.from({ length: 400 }, () => paragraph(new Y.XmlText(line))));
    const text = plainTextOf(doc);
    expect(text.length).toBeLessThanOrEqual(MAX_INDEXED_CHARACTERS);
    expect(text.length).toBeGreaterThan(MAX_INDEXED_CHARACTERS - 1_000);
  });

  it("reads a 100,000-character document in a few milliseconds", () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment("default");
    // Typed a paragraph at a time, with some formatting, as an editing session leaves it.
    for (let i = 0; i < 2_000; i++) {
      const text = new Y.XmlText(`Paragraph ${i} of the long report, about collaboration.`.slice(0, 50).padEnd(50, "."));
      if (i % 3 === 0) text.format(0, 9, { italic: {} });
      fragment.insert(fragment.length, [paragraph(text)]);
    }
    const expected = plainTextOf(doc);
    expect(expected.length).toBeGreaterThanOrEqual(100_000);
    for (let i = 0; i < 20; i++) plainTextOf(doc);
    const times: number[] = [];
    for (let i = 0; i < 50; i++) {
      const started = performance.now();
      plainTextOf(doc);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const median = times[25];
    console.log(`plainTextOf: ${expected.length} characters in ${median.toFixed(2)} ms (median of 50)`);
    expect(median).toBeLessThan(20);
  });
});
