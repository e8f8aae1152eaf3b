import { DriftwatchError } from '../../errors.js';

/**
 * Thrown when a model-quality input as a whole cannot be used: no labelled pairs at all, champion and
 * challenger scored on different evaluation sets, a metrics file of another problem type, unusable options.
 * A single bad label or prediction is never an error: it is a rejection in the result.
 */
export class QualityInputError extends DriftwatchError {}
