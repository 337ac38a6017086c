import type { ReactNode } from 'react'

function Svg({ children }: { children: ReactNode }) {
  return (
    <svg
      width="18"
      height="18"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  )
}

export const icons = {
  bulletList: (
    <Svg>
      <path d="M9 6h11M9 12h11M9 18h11" />
      <circle cx="4.5" cy="6" r="1" fill="currentColor" />
      <circle cx="4.5" cy="12" r="1" fill="currentColor" />
      <circle cx="4.5" cy="18" r="1" fill="currentColor" />
    </Svg>
  ),
  orderedList: (
    <Svg>
      <path d="M10 6h10M10 12h10M10 18h10" />
      <path d="M4 5l1.5-1V9M3.5 14.5a1.5 1.5 0 0 1 3 .3c0 .8-3 2.2-3 3.2h3" strokeWidth="1.5" />
    </Svg>
  ),
  taskList: (
    <Svg>
      <rect x="3" y="4" width="6" height="6" rx="1.2" />
      <path d="M4.5 16.5l1.5 1.5 3-3" />
      <path d="M13 7h8M13 17h8" />
    </Svg>
  ),
  blockquote: (
    <Svg>
      <path d="M4 5v14" strokeWidth="2.5" />
      <path d="M9 8h11M9 12h11M9 16h7" />
    </Svg>
  ),
  codeBlock: (
    <Svg>
      <rect x="3" y="4" width="18" height="16" rx="2" />
      <path d="M10 10l-2 2 2 2M14 10l2 2-2 2" />
    </Svg>
  ),
  horizontalRule: (
    <Svg>
      <path d="M3 12h18" />
      <path d="M7 7h10M7 17h10" strokeWidth="1.2" opacity="0.45" />
    </Svg>
  ),
  link: (
    <Svg>
      <path d="M10 14a4 4 0 0 0 5.66 0l3-3a4 4 0 0 0-5.66-5.66l-1.5 1.5" />
      <path d="M14 10a4 4 0 0 0-5.66 0l-3 3a4 4 0 0 0 5.66 5.66l1.5-1.5" />
    </Svg>
  ),
  undo: (
    <Svg>
      <path d="M9 14L4 9l5-5" />
      <path d="M4 9h10.5a5.5 5.5 0 0 1 0 11H11" />
    </Svg>
  ),
  redo: (
    <Svg>
      <path d="M15 14l5-5-5-5" />
      <path d="M20 9H9.5a5.5 5.5 0 0 0 0 11H13" />
    </Svg>
  ),
}
