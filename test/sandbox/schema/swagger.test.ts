/** The Swagger 2.0 → Ajv conversion itself, on small made-up specs. */
import { describe, expect, it } from 'vitest';
import { SpecValidator } from './swagger.js';

const docs: Record<string, { definitions: Record<string, Record<string, unknown>> }> = {
  'svc/stable/1/a.json': {
    definitions: {
      Base: { type: 'object', properties: { id: { type: 'string', readOnly: true }, when: { type: 'string', format: 'date-time' } }, required: ['id'] },
      Thing: {
        type: 'object',
        'x-ms-azure-resource': true,
        allOf: [{ $ref: '#/definitions/Base' }],
        properties: {
          state: { type: 'string', enum: ['Active', 'Pending'], 'x-ms-enum': { name: 'State', modelAsString: false } },
          note: { type: 'string', 'x-nullable': true },
          tags: { type: 'object', additionalProperties: { type: 'string' } },
          shared: { $ref: './b.json#/definitions/Shared' },
          external: { $ref: './common.json#/definitions/Sku' },
          count: { type: 'integer', format: 'int32', minimum: 0, exclusiveMinimum: true },
        },
      },
      Tracked: { type: 'object', allOf: [{ $ref: '../../../common-types/resource-management/v5/types.json#/definitions/TrackedResource' }], properties: { p: { type: 'string' } } },
      Loose: { type: 'object', allOf: [{ $ref: './missing.json#/definitions/Parent' }], properties: { p: { type: 'string' } } },
      Shape: { type: 'object', discriminator: 'kind', properties: { kind: { type: 'string' }, name: { type: 'string' } }, required: ['kind'] },
      Circle: { type: 'object', 'x-ms-discriminator-value': 'circle', allOf: [{ $ref: '#/definitions/Shape' }], properties: { radius: { type: 'number' } } },
      Square: { type: 'object', allOf: [{ $ref: '#/definitions/Shape' }], properties: { side: { type: 'number' } } },
    },
  },
  'svc/stable/1/b.json': { definitions: { Shared: { type: 'object', properties: { n: { type: 'integer' } } } } },
};

const validator = () => new SpecValidator({ read: (file) => docs[file] });
const FILE = 'svc/stable/1/a.json';

describe('SpecValidator', () => {
  it('merges allOf parents, closes objects and honours dictionaries and cross-file refs', () => {
    const v = validator();
    expect(v.validate(FILE, 'Thing', { id: 'x', when: '2024-01-01T00:00:00.0000000Z', state: 'Active', tags: { a: 'b' }, shared: { n: 1 }, external: { anything: true }, count: 1 })).toEqual([]);
    expect(v.validate(FILE, 'Thing', { id: 'x', invented: 1 })).toEqual(["/: unknown property 'invented'"]);
    expect(v.validate(FILE, 'Thing', { state: 'Active' })).toEqual(["/: must have required property 'id'"]);
    expect(v.validate(FILE, 'Thing', { id: 'x', state: 'active' })[0]).toMatch(/^\/state: must be equal to one of the allowed values/);
    expect(v.validate(FILE, 'Thing', { id: 'x', shared: { n: 'one' } })).toEqual(['/shared/n: must be integer']);
    expect(v.validate(FILE, 'Thing', { id: 'x', tags: { a: 1 } })).toEqual(['/tags/a: must be string']);
    expect(v.validate(FILE, 'Thing', { id: 'x', when: 'yesterday' })).toEqual(['/when: must match format "date-time"']);
    expect(v.validate(FILE, 'Thing', { id: 'x', count: 0 })).toEqual(['/count: must be > 0']);
    expect(v.unresolved).toContain('./common.json#/definitions/Sku');
  });

  it('admits null only where x-nullable says so, and OData annotations anywhere', () => {
    const v = validator();
    expect(v.validate(FILE, 'Thing', { id: 'x', note: null, 'odata.metadata': 'https://x/$metadata' })).toEqual([]);
    expect(v.validate(FILE, 'Thing', { id: null }).length).toBeGreaterThan(0);
  });

  it('uses the common-types shapes, and leaves a child of an unknown parent open', () => {
    const v = validator();
    expect(v.validate(FILE, 'Tracked', { id: '/subscriptions/s/x', name: 'n', type: 't', location: 'westeurope', tags: {}, p: 'v' })).toEqual([]);
    expect(v.validate(FILE, 'Tracked', { id: '/subscriptions/s/x', p: 'v' })).toEqual(["/: must have required property 'location'"]);
    expect(v.validate(FILE, 'Tracked', { location: 'l', etag: 'x' })).toEqual(["/: unknown property 'etag'"]);
    expect(v.validate(FILE, 'Loose', { p: 'v', whatever: 1 })).toEqual([]);
  });

  it('follows the discriminator to the subtype', () => {
    const v = validator();
    expect(v.validate(FILE, 'Shape', { kind: 'circle', radius: 2 })).toEqual([]);
    expect(v.validate(FILE, 'Shape', { kind: 'Square', side: 2 })).toEqual([]);
    expect(v.validate(FILE, 'Shape', { kind: 'circle', side: 2 })).toContain("/: unknown property 'side'");
    expect(v.validate(FILE, 'Shape', { kind: 'other', name: 'n' })).toEqual([]);
    expect(v.validate(FILE, 'Shape', { kind: 'other', radius: 1 })).toContain("/: unknown property 'radius'");
  });

  it('says which definition is missing', () => {
    expect(() => validator().validate(FILE, 'Nope', {})).toThrow(/has no definition 'Nope'/);
  });
});
