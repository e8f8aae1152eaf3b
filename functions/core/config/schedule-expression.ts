const RATE = /^rate\((\d+) ([a-z]+)\)$/;
const CRON = /^cron\((.*)\)$/;
const RATE_UNITS: Readonly<Record<string, string>> = {
  minute: 'minutes',
  hour: 'hours',
  day: 'days',
};

interface CronField {
  name: string;
  chars: RegExp;
  min: number;
  max: number;
  words: readonly string[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

// Field syntax from the EventBridge cron reference: values, then the wildcards each field allows.
const CRON_FIELDS: readonly CronField[] = [
  { name: 'minutes', chars: /^[0-9,*/-]+$/, min: 0, max: 59, words: [] },
  { name: 'hours', chars: /^[0-9,*/-]+$/, min: 0, max: 23, words: [] },
  { name: 'day-of-month', chars: /^[0-9A-Z,*/?-]+$/, min: 1, max: 31, words: ['L', 'W', 'LW'] },
  { name: 'month', chars: /^[0-9A-Z,*/-]+$/, min: 1, max: 12, words: MONTHS },
  { name: 'day-of-week', chars: /^[0-9A-Z,*/?#-]+$/, min: 1, max: 7, words: [...WEEKDAYS, 'L'] },
  { name: 'year', chars: /^[0-9,*/-]+$/, min: 1970, max: 2199, words: [] },
];

/**
 * Why `expression` is not a recurring EventBridge Scheduler expression, or `undefined` when it is.
 * Accepts `rate(<n> <unit>)` with n >= 1 and unit minute(s)/hour(s)/day(s) (singular exactly when n = 1, which
 * both EventBridge rules and Scheduler accept), and `cron(<min> <hour> <day-of-month> <month> <day-of-week> <year>)`
 * with each field's allowed values and wildcards and exactly one of day-of-month / day-of-week set to `?`.
 */
export function scheduleExpressionProblem(expression: string): string | undefined {
  if (expression.startsWith('rate(')) {
    return rateProblem(expression);
  }
  if (expression.startsWith('cron(')) {
    return cronProblem(expression);
  }
  return 'expected "rate(<value> <unit>)" or "cron(<six fields>)"';
}

function rateProblem(expression: string): string | undefined {
  const match = RATE.exec(expression);
  const value = match?.[1];
  const unit = match?.[2];
  if (value === undefined || unit === undefined) {
    return 'expected "rate(<positive integer> <minute|minutes|hour|hours|day|days>)"';
  }
  const count = Number(value);
  if (!Number.isSafeInteger(count) || count < 1) {
    return 'the rate value must be a positive integer';
  }
  const singular = Object.keys(RATE_UNITS).find((key) => key === unit || RATE_UNITS[key] === unit);
  if (singular === undefined) {
    return `unknown rate unit "${unit}" (expected minute(s), hour(s) or day(s))`;
  }
  const expected = count === 1 ? singular : RATE_UNITS[singular];
  if (unit !== expected) {
    return `with a value of ${count} the unit must be "${expected}"`;
  }
  return undefined;
}

function cronProblem(expression: string): string | undefined {
  const body = CRON.exec(expression)?.[1];
  if (body === undefined) {
    return 'expected "cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)"';
  }
  const fields = body.trim().split(/\s+/);
  if (fields.length !== CRON_FIELDS.length) {
    return `a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), found ${fields.length}`;
  }
  for (const [index, spec] of CRON_FIELDS.entries()) {
    const problem = cronFieldProblem(fields[index] ?? '', spec);
    if (problem !== undefined) {
      return problem;
    }
  }
  const dayOfMonth = fields[2];
  const dayOfWeek = fields[4];
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    return 'exactly one of day-of-month and day-of-week must be "?"';
  }
  return undefined;
}

function cronFieldProblem(raw: string, spec: CronField): string | undefined {
  const field = raw.toUpperCase();
  if (!spec.chars.test(field)) {
    return `invalid characters in the ${spec.name} field "${raw}"`;
  }
  for (const word of field.match(/[A-Z]+/g) ?? []) {
    if (!spec.words.includes(word)) {
      return `unknown value "${word}" in the ${spec.name} field`;
    }
  }
  // Numbers after "/" are increments and after "#" the nth weekday; only the others are field values.
  for (const match of field.matchAll(/(^|[^/#0-9])(\d+)/g)) {
    const value = Number(match[2]);
    if (value < spec.min || value > spec.max) {
      return `${spec.name} value ${value} is outside ${spec.min}-${spec.max}`;
    }
  }
  return undefined;
}

/** Why `timeZone` is not an IANA time zone name this runtime knows (e.g. `UTC`, `Europe/Berlin`), or `undefined`. */
export function timeZoneProblem(timeZone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return undefined;
  } catch {
    return `unknown time zone "${timeZone}" (expected an IANA name such as "UTC" or "Europe/Berlin")`;
  }
}
