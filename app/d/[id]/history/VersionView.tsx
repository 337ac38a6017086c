'use client'

import type { JSONContent } from '@tiptap/core'
import { EditorContent, useEditor } from '@tiptap/react'
import { useMemo } from 'react'
import { contentExtensions } from '../../../../editor/content-extensions'
import '../../../../editor/editor.css'
import { useThemeChoice } from '../../../theme/useThemeChoice'
import { diffExtensions, type DiffAuthor } from './diff-marks'

interface VersionViewProps {
  /** ProseMirror JSON of the version, with diff marks when it is shown against another. */
  content: JSONContent
  /** Who the marks' author ids are, for their titles and colours. */
  authors: DiffAuthor[]
  /** Names the read-only text for screen readers: "Version “Second”". */
  label: string
}

/** A version, read-only, set like the live editor's page. A new content or author list builds a new editor. */
export function VersionView({ content, authors, label }: VersionViewProps) {
  const extensions = useMemo(
    () => [
      // The live editor's content extensions, with code and code blocks replaced by the diff-aware
      // ones from diffExtensions.
      ...contentExtensions({ code: false, codeBlock: false }),
      ...diffExtensions(authors),
    ],
    [authors],
  )

  const theme = useThemeChoice()
  const editor = useEditor(
    {
      immediatelyRender: false,
      editable: false,
      extensions,
      content,
      editorProps: {
        attributes: {
          class: 'inkwell-prose history-view__prose',
          // As the live editor's body is, so that aria-readonly is allowed and announced.
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-label': label,
          'aria-readonly': 'true',
        },
      },
    },
    [extensions, content],
  )

  return (
    // The editor's stylesheet follows the system unless told; the app's theme choice tells it.
    <div className="inkwell" data-theme={theme === 'system' ? undefined : theme}>
      <div className="inkwell-page history-view__page" data-testid="version-view">
        <EditorContent editor={editor} className="inkwell-content" />
      </div>
    </div>
  )
}
