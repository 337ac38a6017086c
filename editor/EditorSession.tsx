import { Selection } from '@tiptap/pm/state'
import { EditorContent, useEditor, useEditorState } from '@tiptap/react'
import { useEffect, useMemo, type MouseEvent } from 'react'
import { createExtensions } from './extensions'
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
      {editable && <div className="inkwell-toolbar-row">{editor ? <Toolbar editor={editor} /> : <div className="inkwell-toolbar" />}</div>}
      <div className="inkwell-page" data-testid="editor" onMouseDown={focusFromMargin}>
        <EditorContent editor={editor} className="inkwell-content" />
      </div>
      <div className="inkwell-footer">
        <span className="inkwell-word-count" data-testid="word-count" aria-live="off">
          {formatWords(words ?? 0)}
        </span>
      </div>
    </>
  )
}

function formatWords(count: number): string {
  return `${count} ${count === 1 ? 'word' : 'words'}`
}
