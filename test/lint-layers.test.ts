import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layer rules of ARCHITECTURE.md live in eslint.config.js; these cases prove the real config
// refuses a crossing (and lets the allowed directions through). Linting text under the name of an
// existing file keeps the type-aware rules satisfied.
const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(filePath: string, importPath: string): Promise<string[]> {
  const code = `import * as other from '${importPath}';\nexport const used = other;\n`;
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports')
    .map((m) => m.message);
}

describe('layer boundaries', () => {
  it.each([
    ['source/domain/resource-id.ts', '../ui/app.js'],
    ['source/domain/resource-id.ts', '../azure/batch.js'],
    ['source/domain/resource-id.ts', '../sandbox/index.js'],
    ['source/args.ts', './sandbox/index.js'],
    ['source/sandbox/contracts.ts', '../domain/resource-id.js'],
    ['source/sandbox/world/world.ts', '../../azure/batch.js'],
    ['source/sandbox/world/world.ts', '../../ui/app.js'],
  ])('%s may not import %s', async (file, target) => {
    const messages = await restrictedImports(file, target);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('Layer boundary: ');
  });

  it.each([
    ['source/args.ts', './domain/resource-id.js'],
    ['source/sandbox/contracts.ts', './world/world.js'],
    ['source/domain/duration.ts', './resource-id.js'],
  ])('%s may import %s', async (file, target) => {
    expect(await restrictedImports(file, target)).toEqual([]);
  });
});
