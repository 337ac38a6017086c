import * as encoding from 'lib0/encoding'
import * as random from 'lib0/random'
import * as Y from 'yjs'

/**
 * A new document holding everything `doc` holds, with the content written under client id `taken`
 * moved to a fresh client id of its own.
 *
 * The server refuses new content under a client id another user wrote under first (an editor could
 * otherwise forge our next change and have ours taken for one it already has). When that happens to
 * us, say because someone claimed our id while we typed offline, our unsaved work is still whole in
 * `doc`: written again under an id nobody holds, it reaches the server as ordinary new content, on
 * top of the same neighbours, and merges with whatever others did meanwhile. Nothing is rebuilt from
 * the rendered text, so nothing is duplicated.
 *
 * All of `taken`'s content moves: the server accepts nobody's first content under an id already
 * claimed by someone else, so none of it can be on the server as ours.
 */
export function moveToFreshClientId(doc: Y.Doc, taken: number): Y.Doc {
  let moved = random.uint32()
  while (moved === taken || doc.store.clients.has(moved)) moved = random.uint32()
  const rename = (id: Y.ID | null) => (id && id.client === taken ? Y.createID(moved, id.clock) : id)

  const { structs, ds } = Y.decodeUpdate(Y.encodeStateAsUpdate(doc))
  const byClient = new Map<number, (Y.Item | Y.GC | Y.Skip)[]>()
  for (const struct of structs) {
    struct.id = rename(struct.id)!
    if (struct instanceof Y.Item) {
      struct.origin = rename(struct.origin)
      struct.rightOrigin = rename(struct.rightOrigin)
      if (struct.parent instanceof Y.ID) struct.parent = rename(struct.parent)
    }
    const list = byClient.get(struct.id.client)
    if (list) list.push(struct)
    else byClient.set(struct.id.client, [struct])
  }

  // Yjs's v1 update layout (its own writeStructs and writeDeleteSet are not exported).
  const encoder = new Y.UpdateEncoderV1()
  encoding.writeVarUint(encoder.restEncoder, byClient.size)
  for (const [client, list] of [...byClient].sort(([a], [b]) => b - a)) {
    encoding.writeVarUint(encoder.restEncoder, list.length)
    encoder.writeClient(client)
    encoding.writeVarUint(encoder.restEncoder, list[0].id.clock)
    for (const struct of list) struct.write(encoder, 0)
  }
  encoding.writeVarUint(encoder.restEncoder, ds.clients.size)
  for (const [client, ranges] of ds.clients) {
    encoder.resetDsCurVal()
    encoding.writeVarUint(encoder.restEncoder, client === taken ? moved : client)
    encoding.writeVarUint(encoder.restEncoder, ranges.length)
    for (const range of ranges) {
      encoder.writeDsClock(range.clock)
      encoder.writeDsLen(range.len)
    }
  }
  const fresh = new Y.Doc({ gc: doc.gc })
  // Yjs gives a document a new client id when a remote update brings content under its own; so the
  // content goes in under another id, and the document takes the moved one once it holds it.
  while (fresh.clientID === moved || fresh.clientID === taken || doc.store.clients.has(fresh.clientID)) fresh.clientID = random.uint32()
  Y.applyUpdate(fresh, encoder.toUint8Array())
  fresh.clientID = moved
  return fresh
}
