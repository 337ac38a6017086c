const HEX6 = /^#[0-9a-fA-F]{6}$/

export function isHexColor(color: unknown): color is string {
  return typeof color === 'string' && HEX6.test(color)
}

/** '#rrggbb' + alpha as '#rrggbbaa'; anything else becomes transparent rather than invalid CSS. */
export function withAlpha(color: unknown, alpha: number): string {
  if (!isHexColor(color)) return 'transparent'
  const byte = Math.round(Math.min(1, Math.max(0, alpha)) * 255)
  return `${color}${byte.toString(16).padStart(2, '0')}`
}

function relativeLuminance(hex: string): number {
  const channel = (offset: number) => {
    const c = parseInt(hex.slice(offset, offset + 2), 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}

/** WCAG contrast ratio of two '#rrggbb' colours, from 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x)
  return (light + 0.05) / (dark + 0.05)
}

const INK = '#1f2328'
// A little above 4.5 so that rounding in a checker (axe computes from the rendered colours) never tips it.
const LEGIBLE = 4.6

/**
 * Text for initials and caret labels on a person's colour: white, the editor's ink, or black,
 * whichever reaches 4.5:1 (WCAG AA) with a margin. Every colour reaches it with white or pure black (the worst
 * case is 4.58:1), so people may pick any colour; the ink alone fails on mid tones such as pink.
 */
export function readableTextColor(background: unknown): string {
  if (!isHexColor(background)) return INK
  const onWhite = contrastRatio(background, '#ffffff')
  if (onWhite >= LEGIBLE && onWhite >= contrastRatio(background, INK)) return '#ffffff'
  if (contrastRatio(background, INK) >= LEGIBLE) return INK
  return onWhite >= contrastRatio(background, '#000000') ? '#ffffff' : '#000000'
}

export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean)
  if (words.length === 0) return '?'
  const letters = words.length === 1 ? [...words[0]].slice(0, 2) : [[...words[0]][0], [...words[words.length - 1]][0]]
  return letters.join('').toUpperCase()
}
