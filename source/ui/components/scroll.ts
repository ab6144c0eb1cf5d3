/** Scrolling a block of text (JSON view, a row's detail): the first row shown, kept in range. */
export type ScrollAction = {
  by: number | 'top' | 'bottom';
  /** Rows of text in all. */
  total: number;
  /** Rows shown at once. */
  height: number;
};

export function scrollReducer(offset: number, action: ScrollAction): number {
  const last = Math.max(0, action.total - action.height);
  const target = action.by === 'top' ? 0 : action.by === 'bottom' ? last : offset + action.by;
  return Math.min(Math.max(0, target), last);
}

/** The offset to draw with: in range even after the text shrank or the terminal grew. */
export function clampScroll(offset: number, total: number, height: number): number {
  return Math.min(Math.max(0, offset), Math.max(0, total - height));
}
