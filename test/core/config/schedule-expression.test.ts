import { describe, expect, it } from 'vitest';
import {
  scheduleExpressionProblem,
  timeZoneProblem,
} from '../../../functions/core/config/schedule-expression.js';

// Expression syntax: EventBridge Scheduler user guide, "Schedule types" (rate and cron), and the EventBridge cron
// field table (values and wildcards per field).

describe('scheduleExpressionProblem', () => {
  it.each([
    'rate(1 minute)',
    'rate(5 minutes)',
    'rate(1 hour)',
    'rate(12 hours)',
    'rate(1 day)',
    'rate(7 days)',
    'cron(0 * * * ? *)',
    'cron(15 10 ? * 6L 2022-2023)',
    'cron(0/15 * * * ? *)',
    'cron(0 8 1 * ? *)',
    'cron(0 18 ? * MON-FRI *)',
    'cron(0 12 ? JAN-MAR 3#2 *)',
    'cron(0 0 L * ? *)',
    'cron(0 9 15W * ? *)',
    'cron(5,35 14 * * ? *)',
  ])('computes no problem for %s', (expression) => {
    // Given a valid EventBridge Scheduler expression
    // When it is checked
    // Then there is no problem
    expect(scheduleExpressionProblem(expression)).toBeUndefined();
  });

  it.each([
    ['every hour', 'expected "rate(<value> <unit>)" or "cron(<six fields>)"'],
    ['at(2024-01-01T00:00:00)', 'expected "rate(<value> <unit>)" or "cron(<six fields>)"'],
    ['rate(hour)', 'expected "rate(<positive integer> <minute|minutes|hour|hours|day|days>)"'],
    ['rate(-1 hours)', 'expected "rate(<positive integer> <minute|minutes|hour|hours|day|days>)"'],
    ['rate(0 hours)', 'the rate value must be a positive integer'],
    ['rate(1 hours)', 'with a value of 1 the unit must be "hour"'],
    ['rate(5 minute)', 'with a value of 5 the unit must be "minutes"'],
    ['rate(2 weeks)', 'unknown rate unit "weeks" (expected minute(s), hour(s) or day(s))'],
    [
      'cron(0 * * * *)',
      'a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), found 5',
    ],
    ['cron(0 * * * * *)', 'exactly one of day-of-month and day-of-week must be "?"'],
    ['cron(0 * ? * ? *)', 'exactly one of day-of-month and day-of-week must be "?"'],
    ['cron(60 * * * ? *)', 'minutes value 60 is outside 0-59'],
    ['cron(0 24 * * ? *)', 'hours value 24 is outside 0-23'],
    ['cron(0 0 32 * ? *)', 'day-of-month value 32 is outside 1-31'],
    ['cron(0 0 ? 13 * *)', 'month value 13 is outside 1-12'],
    ['cron(0 0 ? * 8 *)', 'day-of-week value 8 is outside 1-7'],
    ['cron(0 0 * * ? 1969)', 'year value 1969 is outside 1970-2199'],
    ['cron(0 0 * FOO ? *)', 'unknown value "FOO" in the month field'],
    ['cron(0 0 ? * FUN *)', 'unknown value "FUN" in the day-of-week field'],
    ['cron(0 0 * * ? $)', 'invalid characters in the year field "$"'],
    ['cron(0 L * * ? *)', 'invalid characters in the hours field "L"'],
  ])('throws when checking %s (reported as a problem)', (expression, problem) => {
    // Given an invalid expression
    // When it is checked
    // Then the problem says what is wrong
    expect(scheduleExpressionProblem(expression)).toBe(problem);
  });
});

describe('timeZoneProblem', () => {
  it.each(['UTC', 'Europe/Berlin', 'America/New_York'])('computes no problem for %s', (zone) => {
    // Given an IANA zone name
    // When it is checked
    // Then there is no problem
    expect(timeZoneProblem(zone)).toBeUndefined();
  });

  it('throws when the zone is unknown (reported as a problem)', () => {
    // Given an unknown zone
    // When it is checked
    // Then the problem names it
    expect(timeZoneProblem('Mars/Olympus')).toBe(
      'unknown time zone "Mars/Olympus" (expected an IANA name such as "UTC" or "Europe/Berlin")',
    );
  });
});
