/**
 * Copying to the operator's clipboard from a terminal program: OSC 52 (`ESC ] 52 ; c ; <base64>
 * BEL`), which xterm, iTerm2, Windows Terminal, kitty, WezTerm and tmux (set-clipboard on) honour,
 * also over SSH, where no local clipboard tool could be reached. The terminal draws nothing for
 * it, so it can be written between two of Ink's frames without disturbing them.
 */
import { Buffer } from 'node:buffer';

const ESC = '\u001B';
const BEL = '\u0007';

/** The OSC 52 sequence that puts `text` on the clipboard ('c'). */
export function osc52(text: string): string {
  return `${ESC}]52;c;${Buffer.from(text, 'utf8').toString('base64')}${BEL}`;
}
