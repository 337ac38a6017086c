import { Extension, type Editor } from '@tiptap/core'
import { Selection, TextSelection, type EditorState, type Transaction } from '@tiptap/pm/state'
import {
  getRelativeSelection,
  type ProsemirrorBinding,
  relativePositionToAbsolutePosition,
  ySyncPluginKey,
  yUndoPluginKey,
} from '@tiptap/y-tiptap'
import type { UndoManager } from 'yjs'

/** A pause this long ends an undo step (Yjs's default capture timeout). */
const PAUSE_MS = 500
/** A step never holds more than this many typed or deleted characters, so a held key or a long word without spaces is undone in pieces. */
const MAX_STEP_CHARACTERS = 40

type RelativeSelection = ReturnType<typeof getRelativeSelection>

/** Where the caret was just before a step's first change and just after its last. */
interface StepCarets {
  before: RelativeSelection | null
  after: RelativeSelection | null
}

interface StackItemEvent {
  stackItem: { meta: Map<unknown, unknown> }
  type: 'undo' | 'redo'
}

// The key under which each Yjs stack item carries its carets.
const CARETS = Symbol('inkwell undo carets')

type Binding = ProsemirrorBinding

/**
 * Undo steps the way a word processor makes them, and a caret that lands where the undone or
 * redone change happened.
 *
 * y-tiptap restores a stack item's selection from its 'stack-item-popped' listener, which Yjs
 * fires after the undo's transaction has already been rendered, so the caret the user sees is
 * only the old one mapped through the change (before redone text, or at the top of the document
 * when the whole burst is undone). The value it leaves behind is then applied to the next remote
 * change as well. It also keeps only the caret from before a change, which is right for undo but
 * not for redo. Here every stack item remembers both carets, and after Yjs pops one the caret is
 * set to the matching one: before the change for undo, after it for redo.
 */
export const UndoSteps = Extension.create<Record<string, never>, { detach: (() => void) | null; stepCharacters: number }>({
  name: 'inkwellUndoSteps',

  addStorage() {
    return { detach: null, stepCharacters: 0 }
  },

  onCreate() {
    const undoManager = undoManagerOf(this.editor.state)
    if (!undoManager) return
    undoManager.captureTimeout = PAUSE_MS
    const editor = this.editor
    const storage = this.storage

    const remember = ({ stackItem }: StackItemEvent, added: boolean) => {
      const binding = bindingOf(editor.state)
      if (!binding) return
      if (undoManager.undoing || undoManager.redoing) {
        // The item that undoes (or redoes) another describes the same change.
        const source = undoManager.currStackItem?.meta.get(CARETS) as StepCarets | undefined
        if (source) stackItem.meta.set(CARETS, source)
        return
      }
      const known = stackItem.meta.get(CARETS) as StepCarets | undefined
      const before = added || !known ? yUndoPluginKey.getState(editor.state)?.prevSel ?? null : known.before
      if (added) storage.stepCharacters = 0
      stackItem.meta.set(CARETS, { before, after: getRelativeSelection(binding, editor.state) } satisfies StepCarets)
    }
    const onAdded = (event: StackItemEvent) => remember(event, true)
    const onUpdated = (event: StackItemEvent) => remember(event, false)
    const onPopped = ({ stackItem, type }: StackItemEvent) => {
      const carets = stackItem.meta.get(CARETS) as StepCarets | undefined
      // Popping from the undo stack is an undo; its caret goes back to where the change began.
      restoreCaret(editor, type === 'undo' ? carets?.before : carets?.after)
    }
    undoManager.on('stack-item-added', onAdded)
    undoManager.on('stack-item-updated', onUpdated)
    undoManager.on('stack-item-popped', onPopped)
    storage.detach = () => {
      undoManager.off('stack-item-added', onAdded)
      undoManager.off('stack-item-updated', onUpdated)
      undoManager.off('stack-item-popped', onPopped)
    }
  },

  onDestroy() {
    this.storage.detach?.()
    this.storage.detach = null
  },

  onTransaction({ transaction }) {
    // Runs after the sync plugin has written this transaction to Yjs, so stopping here ends the
    // step after this change, not before it.
    const undoManager = undoManagerOf(this.editor.state)
    if (!undoManager || !isLocalEdit(transaction)) return
    if (!transaction.docChanged) {
      // The caret moved on its own (a click, the arrow keys): typing there is a new step.
      if (transaction.selectionSet) undoManager.stopCapturing()
      return
    }
    const grown = transaction.doc.content.size - transaction.before.content.size
    this.storage.stepCharacters += Math.abs(grown)
    if (this.storage.stepCharacters >= MAX_STEP_CHARACTERS || (grown > 0 && endsAWord(transaction, grown))) {
      undoManager.stopCapturing()
      this.storage.stepCharacters = 0
    }
  },
})

function undoManagerOf(state: EditorState): UndoManager | null {
  return (yUndoPluginKey.getState(state)?.undoManager as UndoManager | undefined) ?? null
}

function bindingOf(state: EditorState): Binding | null {
  return (ySyncPluginKey.getState(state)?.binding as Binding | undefined) ?? null
}

function isLocalEdit(transaction: Transaction): boolean {
  const sync = transaction.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined
  return !sync?.isChangeOrigin && transaction.getMeta('addToHistory') !== false
}

/**
 * Just typed a space, punctuation or Enter after a letter or digit. A busy browser may hand
 * ProseMirror several keystrokes as one change, so all of what this change typed is looked at.
 */
function endsAWord(transaction: Transaction, typed: number): boolean {
  const { selection } = transaction
  if (!selection.empty) return false
  const $caret = selection.$head
  if (!$caret.parent.isTextblock) return false
  // Enter: the caret starts a new block.
  if ($caret.parentOffset === 0) return true
  const from = Math.max(0, $caret.parentOffset - typed - 1)
  const recent = $caret.parent.textBetween(from, $caret.parentOffset, undefined, '\ufffc')
  return /[\p{L}\p{N}][\s\p{P}]/u.test(recent)
}

function restoreCaret(editor: Editor, caret: RelativeSelection | null | undefined): void {
  const binding = bindingOf(editor.state)
  if (!binding || editor.isDestroyed) return
  // y-tiptap's own listener (registered again each time the plugin views are rebuilt, so some
  // copies run after this one) leaves the popped selection here for the next transaction; a
  // remote change arriving next would put the caret back there. No Yjs transaction is open in a
  // microtask, so clearing it then is safe.
  queueMicrotask(() => {
    ;(binding as { beforeTransactionSelection: RelativeSelection | null }).beforeTransactionSelection = null
  })
  if (!caret?.anchor || !caret.head) return
  const anchor = relativePositionToAbsolutePosition(binding.doc, binding.type, caret.anchor, binding.mapping)
  const head = relativePositionToAbsolutePosition(binding.doc, binding.type, caret.head, binding.mapping)
  if (anchor === null && head === null) return
  const { state, view } = editor
  const size = state.doc.content.size
  const $anchor = state.doc.resolve(Math.min(anchor ?? head!, size))
  const $head = state.doc.resolve(Math.min(head ?? anchor!, size))
  const selection = caret.type === 'text' ? TextSelection.between($anchor, $head) : Selection.near($head)
  view.dispatch(state.tr.setSelection(selection).setMeta('addToHistory', false).scrollIntoView())
}
