import { Selection } from '@tiptap/pm/state'
import { EditorContent, useEditor, useEditorState } from '@tiptap/react'
import { useEffect, useMemo, useRef, useState, type MouseEvent, type RefObject } from 'react'
import { createExtensions } from './extensions'
import { LinkBubble } from './LinkBubble'
import { Toolbar } from './Toolbar'
import type { InkwellUser } from './types'
import type { CollaborationSession } from './useCollaboration'

interface EditorSessionProps {
  session: CollaborationSession
  user: InkwellUser
  editable: boolean
}

/** The TipTap editor bound to one collaboration session; remount it (key) for a new session. */
export function EditorSession({ session, user, editable }: EditorSessionProps) {
  // The user only seeds the caret extension; later changes go through updateUser
  // below so that renaming yourself does not rebuild the editor.
  const extensions = useMemo(() => createExtensions(session.ydoc, session.provider, user), [session])

  const editor = useEditor(
    {
      immediatelyRender: false,
      // Never pass `content`: the server owns the initial state, and content
      // seeded here would be duplicated into the shared document by every peer.
      editable,
      extensions,
      editorProps: {
        attributes: {
          class: 'inkwell-prose',
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-label': 'Document body',
        },
      },
    },
    [session],
  )

  useEffect(() => {
    if (editor && !editor.isDestroyed && editor.isEditable !== editable) editor.setEditable(editable)
  }, [editor, editable])

  useEffect(() => {
    if (editor && !editor.isDestroyed) editor.commands.updateUser({ name: user.name, color: user.color })
  }, [editor, user.name, user.color])

  // The page is there for writers and viewers alike (viewers have no toolbar).
  const pageRef = useRef<HTMLDivElement>(null)
  const autoSaveHint = useAutoSaveHint(pageRef)

  // Once the content has arrived, a new document starts in its title and any other in its body;
  // unless the writer already put the focus somewhere while it loaded.
  const focusedOnArrival = useRef(false)
  useEffect(() => {
    if (!editor || editor.isDestroyed || !editable || focusedOnArrival.current) return
    focusedOnArrival.current = true
    const active = document.activeElement
    if (active && active !== document.body) return
    const title = pageRef.current?.closest('.inkwell')?.querySelector<HTMLInputElement>('input.inkwell-title')
    if (editor.isEmpty && title && !title.readOnly && !title.value) title.focus()
    else editor.commands.focus('start')
  }, [editor, editable])

  const words = useEditorState({
    editor,
    selector: ({ editor: e }) => (e ? e.storage.characterCount.words() : 0),
  })

  // Clicks in the page's margins should land on the nearest line of text, as in a word processor.
  const focusFromMargin = (event: MouseEvent<HTMLDivElement>) => {
    if (!editor || !editable || event.target !== event.currentTarget) return
    event.preventDefault()
    const box = editor.view.dom.getBoundingClientRect()
    const left = Math.min(Math.max(event.clientX, box.left + 1), box.right - 1)
    const top = Math.min(Math.max(event.clientY, box.top + 1), box.bottom - 1)
    const hit = editor.view.posAtCoords({ left, top })
    if (!hit) {
      editor.commands.focus('end')
      return
    }
    const { state, view } = editor
    view.dispatch(state.tr.setSelection(Selection.near(state.doc.resolve(hit.pos))))
    view.focus()
  }

  return (
    <>
      {editable && (
        <div className="inkwell-toolbar-row">
          {editor ? <Toolbar editor={editor} /> : <div className="inkwell-toolbar" />}
        </div>
      )}
      <div className="inkwell-page" data-testid="editor" ref={pageRef} onMouseDown={focusFromMargin}>
        <EditorContent editor={editor} className="inkwell-content" />
        {editor && <LinkBubble editor={editor} editable={editable} />}
      </div>
      <div className="inkwell-footer">
        <span className="inkwell-word-count" data-testid="word-count" aria-live="off">
          {formatWords(words ?? 0)}
        </span>
      </div>
      <div className="inkwell-autosave-hint" data-testid="autosave-hint" role="status" data-visible={autoSaveHint ? 'true' : 'false'}>
        {autoSaveHint}
      </div>
    </>
  )
}

const AUTO_SAVE_HINT = 'No need to save: Inkwell saves your changes automatically.'
const AUTO_SAVE_HINT_MS = 4000

/**
 * Ctrl+S (Cmd+S) anywhere in this editor, title included, would open the browser's
 * "Save page as"; instead it says that there is nothing to save.
 */
function useAutoSaveHint(inside: RefObject<HTMLElement | null>): string | null {
  const [hint, setHint] = useState<string | null>(null)
  useEffect(() => {
    let hide: ReturnType<typeof setTimeout> | undefined
    const onKeyDown = (event: KeyboardEvent) => {
      const save = (event.ctrlKey || event.metaKey) && !event.shiftKey && !event.altKey && event.key.toLowerCase() === 's'
      const root = inside.current?.closest('.inkwell')
      // Also with nothing focused (a reader who just clicked the page's background): the page is this document.
      const here = event.target === document.body || (event.target instanceof Node && root?.contains(event.target))
      if (!save || !root || !here) return
      event.preventDefault()
      setHint(AUTO_SAVE_HINT)
      clearTimeout(hide)
      hide = setTimeout(() => setHint(null), AUTO_SAVE_HINT_MS)
    }
    // Capture: before ProseMirror's keymap, which would otherwise see an unbound key and let it through.
    document.addEventListener('keydown', onKeyDown, true)
    return () => {
      document.removeEventListener('keydown', onKeyDown, true)
      clearTimeout(hide)
    }
  }, [inside])
  return hint
}

function formatWords(count: number): string {
  return `${count} ${count === 1 ? 'word' : 'words'}`
}
