/**
 * People's colours: their avatar backgrounds (with initials on top) and their carets. Pure, so the
 * Settings page can offer the same palette the server checks against.
 */

/** Each passes 4.5:1 with white initials (WCAG AA for text), so avatars stay legible. */
export const PERSON_COLORS = [
  "#c0306a",
  "#2f63c8",
  "#0f7a5f",
  "#a65a00",
  "#7c4dbd",
  "#c23030",
  "#0b7a8f",
  "#5b63d3",
  "#a8356c",
  "#3f7a19",
  "#9c5316",
  "#6b43ad",
] as const;

export const MIN_INITIALS_CONTRAST = 4.5;
/** A caret and a name label are drawn on the page: 3:1 against white, WCAG's bar for non-text marks. */
export const MIN_CARET_CONTRAST = 3;

/** The editor's two initials colours (editor/colors.ts readableTextColor picks one of them). */
const INITIALS_COLORS = ["#ffffff", "#1f2328"];

const HEX6 = /^#[0-9a-f]{6}$/;

function luminance(hex: string): number {
  const channel = (offset: number) => {
    const c = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

export function contrastRatio(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

/** The best contrast the initials get on this background, whichever initials colour is drawn. */
export function initialsContrast(color: string): number {
  return Math.max(...INITIALS_COLORS.map((initials) => contrastRatio(color, initials)));
}

/**
 * Why a colour cannot be someone's, in words for the person choosing it, or null if it can be.
 * Expects lower case #rrggbb (normalizeColor).
 */
export function colorProblem(color: string): string | null {
  if (!HEX6.test(color)) return "Choose a colour as #rrggbb, for example #2f63c8.";
  const onPage = contrastRatio(color, "#ffffff");
  if (onPage < MIN_CARET_CONTRAST) {
    return `This colour is too light to see as a cursor on the page (contrast ${onPage.toFixed(2)}:1 with white, at least ${MIN_CARET_CONTRAST}:1 is needed). Pick a deeper shade.`;
  }
  const ratio = initialsContrast(color);
  if (ratio < MIN_INITIALS_CONTRAST) {
    return `This colour is too dull for initials to be read on it (contrast ${ratio.toFixed(2)}:1, at least ${MIN_INITIALS_CONTRAST}:1 is needed). Pick a deeper shade.`;
  }
  return null;
}

export function normalizeColor(color: string): string {
  return color.trim().toLowerCase();
}
