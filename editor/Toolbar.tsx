import type { Editor } from '@tiptap/core'
import { useEditorState } from '@tiptap/react'
import { Fragment, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'
import { icons } from './icons'
import { promptForLink } from './link'

type ActiveKey =
  | 'bold' | 'italic' | 'strike' | 'code' | 'h1' | 'h2' | 'h3' | 'bulletList'
  | 'orderedList' | 'taskList' | 'blockquote' | 'codeBlock' | 'link'

interface Item {
  /** Headings show text (H1); their name starts with that text so that speech input finds them. */
  label: string
  /** Keys as in TipTap keymaps; 'Mod' is Cmd on Apple platforms and Ctrl elsewhere. */
  shortcut?: string[]
  /** Shown in the tooltip when there is no key binding. */
  hint?: string
  icon: ReactNode
  active?: ActiveKey
  run: (editor: Editor) => void
  /** Disabled when this returns false (undo/redo with nothing to undo). */
  enabled?: 'undo' | 'redo'
}

const GROUPS: Item[][] = [
  [
    { label: 'Bold', shortcut: ['Mod', 'B'], icon: <b>B</b>, active: 'bold', run: e => e.chain().focus().toggleBold().run() },
    { label: 'Italic', shortcut: ['Mod', 'I'], icon: <i>I</i>, active: 'italic', run: e => e.chain().focus().toggleItalic().run() },
    { label: 'Strikethrough', shortcut: ['Mod', 'Shift', 'S'], icon: <s>S</s>, active: 'strike', run: e => e.chain().focus().toggleStrike().run() },
    { label: 'Code', shortcut: ['Mod', 'E'], icon: <code>{'</>'}</code>, active: 'code', run: e => e.chain().focus().toggleCode().run() },
  ],
  [
    { label: 'H1 Heading 1', shortcut: ['Mod', 'Alt', '1'], icon: 'H1', active: 'h1', run: e => e.chain().focus().toggleHeading({ level: 1 }).run() },
    { label: 'H2 Heading 2', shortcut: ['Mod', 'Alt', '2'], icon: 'H2', active: 'h2', run: e => e.chain().focus().toggleHeading({ level: 2 }).run() },
    { label: 'H3 Heading 3', shortcut: ['Mod', 'Alt', '3'], icon: 'H3', active: 'h3', run: e => e.chain().focus().toggleHeading({ level: 3 }).run() },
  ],
  [
    { label: 'Bullet list', shortcut: ['Mod', 'Shift', '8'], icon: icons.bulletList, active: 'bulletList', run: e => e.chain().focus().toggleBulletList().run() },
    { label: 'Ordered list', shortcut: ['Mod', 'Shift', '7'], icon: icons.orderedList, active: 'orderedList', run: e => e.chain().focus().toggleOrderedList().run() },
    { label: 'Task list', shortcut: ['Mod', 'Shift', '9'], icon: icons.taskList, active: 'taskList', run: e => e.chain().focus().toggleTaskList().run() },
  ],
  [
    { label: 'Blockquote', shortcut: ['Mod', 'Shift', 'B'], icon: icons.blockquote, active: 'blockquote', run: e => e.chain().focus().toggleBlockquote().run() },
    { label: 'Code block', shortcut: ['Mod', 'Alt', 'C'], icon: icons.codeBlock, active: 'codeBlock', run: e => e.chain().focus().toggleCodeBlock().run() },
    { label: 'Horizontal rule', hint: 'type ---', icon: icons.horizontalRule, run: e => e.chain().focus().setHorizontalRule().run() },
    { label: 'Link', shortcut: ['Mod', 'K'], icon: icons.link, active: 'link', run: promptForLink },
  ],
  [
    { label: 'Undo', shortcut: ['Mod', 'Z'], icon: icons.undo, enabled: 'undo', run: e => e.chain().focus().undo().run() },
    { label: 'Redo', shortcut: ['Mod', 'Shift', 'Z'], icon: icons.redo, enabled: 'redo', run: e => e.chain().focus().redo().run() },
  ],
]

function formatShortcut(keys: string[], apple: boolean): string {
  if (apple) {
    const symbols: Record<string, string> = { Mod: '⌘', Shift: '⇧', Alt: '⌥' }
    return keys.map(k => symbols[k] ?? k).join('')
  }
  return keys.map(k => (k === 'Mod' ? 'Ctrl' : k)).join('+')
}

function isApplePlatform(): boolean {
  if (typeof navigator === 'undefined') return false
  return /Mac|iPhone|iPad|iPod/.test(navigator.platform || navigator.userAgent)
}

export function Toolbar({ editor }: { editor: Editor }) {
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      editable: e.isEditable,
      canUndo: e.can().undo(),
      canRedo: e.can().redo(),
      active: {
        bold: e.isActive('bold'),
        italic: e.isActive('italic'),
        strike: e.isActive('strike'),
        code: e.isActive('code'),
        h1: e.isActive('heading', { level: 1 }),
        h2: e.isActive('heading', { level: 2 }),
        h3: e.isActive('heading', { level: 3 }),
        bulletList: e.isActive('bulletList'),
        orderedList: e.isActive('orderedList'),
        taskList: e.isActive('taskList'),
        blockquote: e.isActive('blockquote'),
        codeBlock: e.isActive('codeBlock'),
        link: e.isActive('link'),
      } satisfies Record<ActiveKey, boolean>,
    }),
  })
  const apple = useMemo(isApplePlatform, [])
  // One Tab stop for the whole toolbar (WAI-ARIA toolbar pattern): the arrow keys move between
  // buttons, and Tab comes back to the one last used.
  const [current, setCurrent] = useState(0)
  const buttons = useRef<(HTMLButtonElement | null)[]>([])
  const items = GROUPS.flat()

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const last = items.length - 1
    const moves: Record<string, number> = {
      ArrowRight: current === last ? 0 : current + 1,
      ArrowLeft: current === 0 ? last : current - 1,
      Home: 0,
      End: last,
    }
    const next = moves[event.key]
    if (next === undefined || event.altKey || event.ctrlKey || event.metaKey) return
    event.preventDefault()
    setCurrent(next)
    buttons.current[next]?.focus()
  }

  let index = 0
  return (
    <div className="inkwell-toolbar" role="toolbar" aria-label="Formatting" onKeyDown={onKeyDown}>
      {GROUPS.map((group, g) => (
        <Fragment key={g}>
          {g > 0 && <span className="inkwell-toolbar__separator" role="separator" aria-orientation="vertical" />}
          {group.map(item => {
            const position = index++
            const active = item.active ? state.active[item.active] : false
            const enabled =
              state.editable &&
              (item.enabled === 'undo' ? state.canUndo : item.enabled === 'redo' ? state.canRedo : true)
            const how = item.shortcut ? formatShortcut(item.shortcut, apple) : item.hint
            const title = how ? `${item.label} (${how})` : item.label
            return (
              <button
                key={item.label}
                ref={element => {
                  buttons.current[position] = element
                }}
                type="button"
                className={active ? 'inkwell-toolbar__button is-active' : 'inkwell-toolbar__button'}
                aria-label={item.label}
                aria-pressed={item.active ? active : undefined}
                // aria-disabled rather than disabled: a disabled button cannot take focus, and
                // the toolbar's only Tab stop must never be one that vanished.
                aria-disabled={!enabled || undefined}
                tabIndex={position === current ? 0 : -1}
                title={title}
                // Keep the editor's selection while clicking.
                onMouseDown={event => event.preventDefault()}
                onFocus={() => setCurrent(position)}
                onClick={() => {
                  if (enabled) item.run(editor)
                }}
              >
                {item.icon}
              </button>
            )
          })}
        </Fragment>
      ))}
    </div>
  )
}
