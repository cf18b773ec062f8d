/**
 * The one error type of the Delta layer, with a closed set of codes. Messages name the file or version at
 * fault; the GraphQL edge maps codes to `extensions.code` and never shows a message that holds a path.
 */

export const DELTA_ERROR_CODES = [
  'TABLE_NOT_FOUND',
  'VERSION_NOT_FOUND',
  'TIMESTAMP_OUT_OF_RANGE',
  'CORRUPT_LOG',
  'CORRUPT_DATA',
  'UNSUPPORTED_FEATURE',
  'INVALID_ARGUMENT',
  'SCHEMA_MISMATCH',
  'CONCURRENT_MODIFICATION',
  'IO_ERROR',
] as const;

export type DeltaErrorCode = (typeof DELTA_ERROR_CODES)[number];

export class DeltaError extends Error {
  constructor(
    readonly code: DeltaErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DeltaError';
  }
}

export function isDeltaError(e: unknown): e is DeltaError {
  return e instanceof DeltaError;
}
