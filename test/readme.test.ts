import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { keyTableMarkdown } from '../source/ui/keys.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('shows the key table generated from the key registry', () => {
    const match = /<!-- keys:start -->\n([\s\S]*?)<!-- keys:end -->/.exec(readme);
    expect(match, 'README.md lacks the keys:start/keys:end markers').not.toBeNull();
    // To update: paste keyTableMarkdown()'s output between the markers.
    expect(match?.[1]).toBe(keyTableMarkdown().replace(/\n*$/, '\n'));
  });

  it('has the two quick-start lines, in a block of their own', () => {
    expect(readme).toMatch(/```sh\nnpm ci && npm start\nnpm test\n```/);
  });
});
