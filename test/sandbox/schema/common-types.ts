/**
 * The few definitions of Azure's shared `common-types/resource-management/v{1..5}/types.json`
 * that the copied specs inherit from (Resource, TrackedResource, ProxyResource, systemData,
 * ErrorResponse). That file was not copied (specs/README.md); these are its shapes, written in
 * Swagger 2.0 as it has them, so that resources inheriting from them can still be checked for
 * properties the spec does not name. Anything else outside the copied files stays permissive.
 */
export type SwaggerSchema = Record<string, unknown>;

const readOnlyString = { type: 'string', readOnly: true };

export const COMMON_TYPES: Record<string, SwaggerSchema> = {
  Resource: {
    type: 'object',
    properties: {
      id: { ...readOnlyString, format: 'arm-id' },
      name: readOnlyString,
      type: readOnlyString,
      systemData: { $ref: '#/definitions/systemData' },
    },
  },
  TrackedResource: {
    type: 'object',
    properties: {
      tags: { type: 'object', additionalProperties: { type: 'string' } },
      location: { type: 'string' },
    },
    required: ['location'],
    allOf: [{ $ref: '#/definitions/Resource' }],
  },
  ProxyResource: { type: 'object', allOf: [{ $ref: '#/definitions/Resource' }] },
  systemData: {
    type: 'object',
    readOnly: true,
    properties: {
      createdBy: { type: 'string' },
      createdByType: { type: 'string', enum: ['User', 'Application', 'ManagedIdentity', 'Key'] },
      createdAt: { type: 'string', format: 'date-time' },
      lastModifiedBy: { type: 'string' },
      lastModifiedByType: { type: 'string', enum: ['User', 'Application', 'ManagedIdentity', 'Key'] },
      lastModifiedAt: { type: 'string', format: 'date-time' },
    },
  },
  ErrorResponse: { type: 'object', properties: { error: { $ref: '#/definitions/ErrorDetail' } } },
  ErrorDetail: {
    type: 'object',
    properties: {
      code: readOnlyString,
      message: readOnlyString,
      target: readOnlyString,
      details: { type: 'array', readOnly: true, items: { $ref: '#/definitions/ErrorDetail' } },
      additionalInfo: { type: 'array', readOnly: true, items: { $ref: '#/definitions/ErrorAdditionalInfo' } },
    },
  },
  ErrorAdditionalInfo: { type: 'object', properties: { type: readOnlyString, info: { type: 'object', readOnly: true } } },
};

/** Whether a `$ref` file path is the shared common-types file of some version. */
export const isCommonTypes = (file: string): boolean => /(^|\/)common-types\/resource-management\/v\d+\/types\.json$/.test(file.replace(/\\/g, '/'));
