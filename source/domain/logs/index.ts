/**
 * The log viewer's engine (SPEC §3 screen 7): known signatures in Batch service logs, search
 * with n/N, and random access to the lines of a large blob. Pure; the bytes come from azure/.
 */
export {
  SIGNATURES,
  SignatureScan,
  emptyContext,
  matchLine,
  observeContext,
  scanLines,
  type LogContext,
  type Signature,
  type SignatureGroup,
  type SignatureId,
  type SignatureMatch,
} from './signatures.js';
export {
  arraySource,
  findInLine,
  nextMatch,
  parseQuery,
  searchSource,
  type Direction,
  type LineSource,
  type Query,
  type SearchHit,
} from './search.js';
export { LineIndex, bufferReader, type LineIndexOptions, type RangeReader } from './line-index.js';
