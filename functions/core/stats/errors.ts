import { DriftwatchError } from '../../errors.js';

/**
 * Thrown when the arguments of a statistic cannot be used as a whole (empty sample, lengths that differ,
 * negative or non-finite counts, NaN values); a statistic never throws because of the drift it measures.
 */
export class StatisticInputError extends DriftwatchError {}
