import { join } from 'node:path';
import { expect, it } from 'vitest';
import {
  AZURITE_MISSING_MESSAGE,
  locateAzurite,
} from '../../../source/sandbox/storage-gate/azurite.js';

it('finds the development copy of Azurite, or one in a global prefix', () => {
  expect(locateAzurite()).toMatch(/node_modules[/\\]azurite$/);
  expect(locateAzurite({ local: false, moduleDirs: [join(process.cwd(), 'node_modules')] })).toBe(
    join(process.cwd(), 'node_modules', 'azurite'),
  );
});

it('reports a missing Azurite as undefined, and the message says in one sentence what to install', () => {
  expect(locateAzurite({ local: false, moduleDirs: [] })).toBeUndefined();
  expect(AZURITE_MISSING_MESSAGE).toContain('npm install -g azurite');
  expect(AZURITE_MISSING_MESSAGE.split(/\.\s/)).toHaveLength(1);
});
