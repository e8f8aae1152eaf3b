/**
 * Append-only storage of audit records: one folder per endpoint, one object per record, named by sequence
 * (S3 with conditional writes and Object Lock in AWS, a directory locally).
 */
export interface AuditStore {
  /** Where the records are kept, for messages (`s3://bucket/prefix` or a directory path). */
  readonly location: string;
  /** Endpoints that have a folder, in name order. */
  endpoints(): Promise<string[]>;
  /** Names of the objects directly in one endpoint's folder, in ascending order. */
  names(endpoint: string): Promise<string[]>;
  /**
   * The parsed JSON of one object.
   * @throws ObjectNotFoundError when it does not exist; InputError when it is not JSON
   */
  read(endpoint: string, name: string): Promise<unknown>;
  /**
   * Creates an object unless one of that name exists (atomically: of two concurrent creates, one wins).
   * @returns false when the name is taken
   */
  create(endpoint: string, name: string, text: string): Promise<boolean>;
}
