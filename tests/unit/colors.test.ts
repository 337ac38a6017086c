import { describe, expect, it } from "vitest";
import { contrastRatio, readableTextColor } from "../../editor/colors.ts";

describe("initials and caret labels on a person's colour", () => {
  it("reach 4.5:1 on every colour a person can have, including the pink and red that failed before", () => {
    const colours = ["#e0457b", "#dc3d3d", "#808080", "#777777", "#ffffff", "#000000"];
    // Every 6th step of each channel: 43³ colours, mid tones included.
    for (let r = 0; r < 256; r += 6) for (let g = 0; g < 256; g += 6) for (let b = 0; b < 256; b += 6) colours.push(`#${[r, g, b].map((c) => c.toString(16).padStart(2, "0")).join("")}`);
    const failing = colours.filter((colour) => contrastRatio(colour, readableTextColor(colour)) < 4.5);
    expect(failing).toEqual([]);
  });

  it("keep white on dark colours and the editor's ink on light ones", () => {
    expect(readableTextColor("#1f2430")).toBe("#ffffff");
    expect(readableTextColor("#f6f7f9")).toBe("#1f2328");
  });

  it("fall back to the ink for anything that is not a #rrggbb colour", () => {
    expect(readableTextColor("red")).toBe("#1f2328");
    expect(readableTextColor(undefined)).toBe("#1f2328");
  });
});
