import type { Editor } from '@tiptap/core'
import { useEditorState } from '@tiptap/react'
import { BubbleMenu } from '@tiptap/react/menus'
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react'
import { changeLinkAddress, openableAddress, openLink, removeLink } from './link'

interface LinkBubbleProps {
  editor: Editor
  editable: boolean
}

/** Open, Edit and Remove for the link under the caret; viewers get Open only. */
export function LinkBubble({ editor, editable }: LinkBubbleProps) {
  const href = useEditorState({
    editor,
    selector: ({ editor: e }) => (e.isActive('link') ? ((e.getAttributes('link').href as string | undefined) ?? '') : null),
  })
  const [editing, setEditing] = useState(false)
  const [draft, setDraft] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const input = useRef<HTMLInputElement>(null)
  const problemId = useId()

  // Another link, or none: whatever was being typed belonged to the previous one.
  useEffect(() => {
    setEditing(false)
    setProblem(null)
  }, [href])

  useEffect(() => {
    if (editing) input.current?.select()
  }, [editing])

  const openable = openableAddress(href)

  const save = (event: FormEvent) => {
    event.preventDefault()
    const error = changeLinkAddress(editor, draft)
    setProblem(error)
    if (!error) setEditing(false)
  }

  const onInputKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault()
      setEditing(false)
      setProblem(null)
      editor.commands.focus()
    }
  }

  return (
    <BubbleMenu
      editor={editor}
      pluginKey="inkwellLinkBubble"
      className="inkwell-link-bubble"
      shouldShow={showForLinks}
      options={PLACEMENT}
    >
      <div className="inkwell-link-bubble__content" role="group" aria-label="Link" data-testid="link-bubble">
        {editing ? (
          <form className="inkwell-link-bubble__form" onSubmit={save}>
            <input
              ref={input}
              className="inkwell-link-bubble__input"
              data-testid="link-address"
              aria-label="Link address"
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? problemId : undefined}
              value={draft}
              onChange={event => setDraft(event.target.value)}
              onKeyDown={onInputKeyDown}
            />
            <button type="submit" className="inkwell-link-bubble__button">
              Save
            </button>
            {problem && (
              <p id={problemId} className="inkwell-link-bubble__problem" role="alert">
                {problem}
              </p>
            )}
          </form>
        ) : (
          <>
            <span className="inkwell-link-bubble__address" title={href ?? undefined}>
              {href}
            </span>
            <button
              type="button"
              className="inkwell-link-bubble__button"
              disabled={!openable}
              title={openable ? 'Open in a new tab' : 'Only web and email addresses open from here'}
              onClick={() => openLink(href)}
            >
              Open
            </button>
            {editable && (
              <>
                <button
                  type="button"
                  className="inkwell-link-bubble__button"
                  onClick={() => {
                    setDraft(href ?? '')
                    setProblem(null)
                    setEditing(true)
                  }}
                >
                  Edit
                </button>
                <button type="button" className="inkwell-link-bubble__button" onClick={() => removeLink(editor)}>
                  Remove
                </button>
              </>
            )}
          </>
        )}
      </div>
    </BubbleMenu>
  )
}

// Module constants: BubbleMenu sends its options to the plugin again whenever these change identity.
const PLACEMENT = { placement: 'bottom-start' } as const

function showForLinks({ editor, view }: { editor: Editor; view: { hasFocus: () => boolean } }): boolean {
  const bubbleHasFocus = document.activeElement?.closest('.inkwell-link-bubble') != null
  return editor.isActive('link') && (view.hasFocus() || !editor.isEditable || bubbleHasFocus)
}
