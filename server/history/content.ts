import type { JSONContent } from "@tiptap/core";
import type { Node } from "@tiptap/pm/model";
import { updateYFragment, yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { schema } from "../formats/schema.ts";

/** The Y.XmlFragment the editor's Collaboration extension binds (editor/extensions.ts). */
export const FIELD = "default";

export class InvalidContentError extends Error {}

/** The document's content as ProseMirror JSON, read through the editor's own schema. */
export function contentOf(doc: Y.Doc): JSONContent {
  return yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment(FIELD), schema).toJSON() as JSONContent;
}

/** ProseMirror JSON checked against the schema: anything the editor could not hold is refused. */
export function toNode(content: JSONContent): Node {
  let node: Node;
  try {
    node = schema.nodeFromJSON(content);
    node.check();
  } catch (error) {
    throw new InvalidContentError(`The content does not fit Inkwell's documents: ${(error as Error).message}`);
  }
  if (node.type.name !== "doc") throw new InvalidContentError('The content must be a ProseMirror document ({ "type": "doc", … }).');
  return node;
}

/**
 * Makes the live document's content equal to `content` as a forward change computed against what it
 * holds now (y-tiptap's updateYFragment, the editor binding's own diffing): what is unchanged stays
 * the same Yjs items, so carets, others' concurrent typing and the history keep their places.
 * Never a rebuilt Y.Doc merged in (hocuspocus#731: duplicated content) nor an old update re-applied.
 *
 * Written under `clientId` (claimed for whoever asked, so the history names them) in one
 * transaction with `origin`; answers the update that transaction produced, or null when the content
 * was equal already.
 */
export function writeContent(doc: Y.Doc, content: Node, clientId: number, origin: unknown): Uint8Array | null {
  let update: Uint8Array | null = null;
  const capture = (bytes: Uint8Array, transactionOrigin: unknown) => {
    if (transactionOrigin === origin) update = bytes;
  };
  const ownId = doc.clientID;
  doc.on("update", capture);
  doc.clientID = clientId;
  try {
    doc.transact(() => updateYFragment(doc, doc.getXmlFragment(FIELD), content, { mapping: new Map(), isOMark: new Map() }), origin);
  } finally {
    doc.clientID = ownId;
    doc.off("update", capture);
  }
  return update;
}

/** A Yjs client id for a server-side change: random 32-bit, as Yjs picks its own. */
export function randomClientId(): number {
  return (Math.random() * 0xffffffff) >>> 0;
}
