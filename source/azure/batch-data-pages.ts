/**
 * Reading a Batch list page (`{"odata.metadata": …, "value": [ … ], "odata.nextLink": …}`) as its
 * text arrives, handing over the items of `value` a few at a time, each batch parsed from a short
 * slice of the text.
 *
 * Why not `JSON.parse` of the whole body: a page of 1000 nodes is ~270 KB of text. V8 puts a string
 * that large in its large-object space, where surviving a single young-generation GC promotes it
 * straight to the old generation; and parsing 1000 objects out of it allocates enough to trigger
 * one. So every page of every refresh left ~270 KB (plus the body's buffers, which ms-rest-js
 * concatenates) for the next full GC: on the Nodes screen, 3 MB per refresh of the 10,000-node
 * pool, and a resident size that climbed by ~200 MB before V8 collected. Slices of ~16 KB stay in
 * the young generation and die there.
 */

import { isAbortError } from './errors.js';

/** A JSON syntax error, or (`truncated`) a page that ended before its JSON did. */
export class PageFormatError extends Error {
  override name = 'PageFormatError';
  constructor(
    message: string,
    readonly truncated = false,
  ) {
    super(message);
  }
}

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COMMA = 44;
const COLON = 58;

/**
 * The incremental reader: `write` each piece of text as it arrives, then `end`. It checks the
 * structure it needs (strings, nesting, the top-level members) and leaves the rest of JSON's
 * grammar to `JSON.parse` of each batch of items and of `odata.nextLink`.
 */
export class ListPageReader {
  /** Text not handed over yet: the items after the last batch, or a top-level member. */
  private text = '';
  /** Where scanning resumes in `text`. */
  private pos = 0;
  private depth = 0;
  private inString = false;
  /** In `text`: where the open string, the current member's value, and the pending items start. */
  private stringStart = 0;
  private valueStart = -1;
  private itemsStart = -1;
  /** In `text`: the comma after the last complete item, or -1. */
  private itemsEnd = -1;
  private expectKey = false;
  private key: string | undefined;
  private inItems = false;
  private done = false;
  private next: string | undefined;
  private items = 0;

  /**
   * @param onItems receives each batch of `value`'s items, in order, parsed.
   * @param batchChars the longest slice parsed at once (items are never split).
   */
  constructor(
    private readonly onItems: (items: unknown[]) => void,
    private readonly batchChars = 16 * 1024,
  ) {}

  /** How many items have been handed over. */
  get count(): number {
    return this.items;
  }

  write(piece: string): void {
    if (piece.length === 0) return;
    this.text = this.text.length === 0 ? piece : this.text + piece;
    this.scan();
    this.flush();
  }

  /** The page's odata.nextLink, once the whole page has been written. */
  end(): { nextLink?: string } {
    if (!this.done || this.inString)
      throw new PageFormatError('the page ended before its JSON did', true);
    if (this.text.slice(this.pos).trim() !== '')
      throw new PageFormatError('the page has text after its JSON');
    return this.next === undefined ? {} : { nextLink: this.next };
  }

  private scan(): void {
    const text = this.text;
    let pos = this.pos;
    while (pos < text.length) {
      if (this.inString) {
        const quote = text.indexOf('"', pos);
        if (quote < 0) {
          pos = text.length;
          break;
        }
        pos = quote + 1;
        let slashes = 0;
        for (let i = quote - 1; i > this.stringStart && text.charCodeAt(i) === BACKSLASH; i--)
          slashes++;
        if (slashes % 2 === 1) continue;
        this.inString = false;
        if (this.depth === 1 && this.expectKey) {
          this.key = parseJson(text.slice(this.stringStart, pos)) as string;
          this.expectKey = false;
        }
        continue;
      }
      const c = text.charCodeAt(pos);
      if (this.done) {
        if (c > 32) throw new PageFormatError('the page has text after its JSON');
      } else if (this.depth === 0 && c > 32 && c !== OPEN_BRACE) {
        throw new PageFormatError('a page is a JSON object');
      } else if (c === QUOTE) {
        this.inString = true;
        this.stringStart = pos;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (this.depth === 0) {
          if (c !== OPEN_BRACE) throw new PageFormatError('a page is a JSON object');
          this.expectKey = true;
        } else if (this.depth === 1 && this.key === 'value' && c === OPEN_BRACKET) {
          // The items are handed over in batches; the member's text is never needed whole.
          this.inItems = true;
          this.itemsStart = pos + 1;
          this.itemsEnd = -1;
          this.valueStart = -1;
        }
        this.depth++;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        this.depth--;
        if (this.depth < 0) throw new PageFormatError('unbalanced JSON');
        if (this.depth === 1 && this.inItems) {
          this.emit(pos);
          this.inItems = false;
        } else if (this.depth === 0) {
          this.endMember(pos);
          this.done = true;
        }
      } else if (c === COMMA) {
        if (this.depth === 2 && this.inItems) {
          this.itemsEnd = pos;
          if (pos - this.itemsStart >= this.batchChars) this.emit(pos);
        } else if (this.depth === 1) {
          this.endMember(pos);
          this.expectKey = true;
        }
      } else if (c === COLON && this.depth === 1) {
        this.valueStart = pos + 1;
      }
      pos++;
    }
    this.pos = pos;
  }

  /** A top-level member ended at `end` (its comma or the closing brace). */
  private endMember(end: number): void {
    if (this.key === 'odata.nextLink' && this.valueStart >= 0) {
      const link = parseJson(this.text.slice(this.valueStart, end));
      if (typeof link === 'string' && link !== '') this.next = link;
    }
    this.key = undefined;
    this.valueStart = -1;
  }

  /** Hands over the items before `end` (a comma or the closing bracket) and drops their text. */
  private emit(end: number): void {
    const slice = this.text.slice(this.itemsStart, end);
    this.itemsStart = end + 1;
    this.itemsEnd = -1;
    if (slice.trim() === '') return;
    const parsed = parseJson(`[${slice}]`) as unknown[];
    this.items += parsed.length;
    this.onItems(parsed);
  }

  /** At the end of a piece: hand over the complete items, keep only the text still needed. */
  private flush(): void {
    if (this.inItems && this.itemsEnd >= 0) this.emit(this.itemsEnd);
    // Items are handed over; a member's value or a string in progress is still needed.
    const keep = Math.min(
      this.inItems ? this.itemsStart : this.pos,
      this.inString ? this.stringStart : this.pos,
      this.valueStart >= 0 && !this.inItems ? this.valueStart : this.pos,
    );
    if (keep <= 0) return;
    this.text = this.text.slice(keep);
    this.pos -= keep;
    this.stringStart -= keep;
    if (this.valueStart >= 0) this.valueStart -= keep;
    if (this.inItems) this.itemsStart -= keep;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new PageFormatError(
      `the page is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

/** Where the stream of a page broke: a transport failure, retried like one. */
export function brokenBody(error: unknown): unknown {
  if (isAbortError(error)) return error;
  const code = (error as { code?: unknown } | undefined)?.code;
  const broken = new Error(
    `the connection broke while a page of nodes was read (${error instanceof Error ? error.message : String(error)})`,
    { cause: error },
  );
  return Object.assign(broken, {
    code: typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : 'ECONNRESET',
  });
}

/** Feeds a streamed body to `onText` as UTF-8 text, piece by piece as it arrives. */
export async function readText(
  body: NodeJS.ReadableStream,
  onText: (text: string) => void,
): Promise<void> {
  body.setEncoding('utf8');
  const pieces = body[Symbol.asyncIterator]();
  for (;;) {
    let piece: IteratorResult<string | Buffer>;
    try {
      piece = await pieces.next();
    } catch (error) {
      throw brokenBody(error);
    }
    if (piece.done) return;
    try {
      onText(typeof piece.value === 'string' ? piece.value : piece.value.toString('utf8'));
    } catch (error) {
      // Closing the iterator destroys the stream, so the socket is not left half read.
      await pieces.return?.();
      throw error;
    }
  }
}
