// Evaluates synthesized CloudWatch alarm definitions against metric datapoints on this machine, so the demo can
// decide each alarm's state hour by hour as CloudWatch would. Covered: single-metric alarms (statistic, period,
// threshold, comparison operator, evaluation periods, datapoints to alarm, treat-missing-data) and composite alarm
// rules (ALARM/OK/INSUFFICIENT_DATA, AND, OR, NOT, TRUE, FALSE, parentheses). Metric-math alarms are listed but
// not evaluated (their state stays INSUFFICIENT_DATA).
import { type CfnTemplate, resolveCfn } from './asl.js';

/** A CloudWatch alarm state. */
export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** How CloudWatch treats a period without datapoints. */
export type TreatMissingData = 'missing' | 'ignore' | 'breaching' | 'notBreaching';

/** A comparison operator of a threshold alarm. */
export type ComparisonOperator =
  | 'GreaterThanOrEqualToThreshold'
  | 'GreaterThanThreshold'
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold';

/** A single-metric alarm as the template defines it. */
export interface MetricAlarmDefinition {
  kind: 'metric';
  name: string;
  namespace: string;
  metricName: string;
  dimensions: Readonly<Record<string, string>>;
  statistic: 'Maximum' | 'Minimum' | 'Sum' | 'Average' | 'SampleCount';
  periodSeconds: number;
  threshold: number;
  comparisonOperator: ComparisonOperator;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  treatMissingData: TreatMissingData;
}

/** A composite alarm: its rule over other alarms' names. */
export interface CompositeAlarmDefinition {
  kind: 'composite';
  name: string;
  rule: string;
}

/** An alarm the evaluator cannot evaluate (metric math), kept so it can be listed. */
export interface UnsupportedAlarmDefinition {
  kind: 'unsupported';
  name: string;
  reason: string;
}

export type AlarmDefinition = MetricAlarmDefinition | CompositeAlarmDefinition | UnsupportedAlarmDefinition;

/** Whether `value` breaches `threshold` under `operator`. */
export function breaches(value: number, operator: ComparisonOperator, threshold: number): boolean {
  switch (operator) {
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
  }
}

/** The statistic of one period's values; `undefined` when the period has none. */
export function aggregate(
  values: readonly number[],
  statistic: MetricAlarmDefinition['statistic'],
): number | undefined {
  if (values.length === 0) return undefined;
  switch (statistic) {
    case 'Maximum':
      return Math.max(...values);
    case 'Minimum':
      return Math.min(...values);
    case 'Sum':
      return values.reduce((a, b) => a + b, 0);
    case 'Average':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'SampleCount':
      return values.length;
  }
}

/**
 * The state of a metric alarm given the statistic of each of its most recent periods (oldest first, `undefined`
 * for a period without data; at most the last `evaluationPeriods` are used) and its state before. ALARM when at
 * least `datapointsToAlarm` periods breach; missing periods count as breaching or not for `breaching` /
 * `notBreaching`, are skipped for `missing` (INSUFFICIENT_DATA when none is left) and for `ignore` (the state is
 * kept when none is left). This is CloudWatch's documented M-out-of-N rule without its look-back for partially
 * missing windows.
 */
export function evaluateMetricAlarm(
  alarm: Pick<
    MetricAlarmDefinition,
    'threshold' | 'comparisonOperator' | 'evaluationPeriods' | 'datapointsToAlarm' | 'treatMissingData'
  >,
  periods: readonly (number | undefined)[],
  previous: AlarmState,
): AlarmState {
  const window = periods.slice(-alarm.evaluationPeriods);
  while (window.length < alarm.evaluationPeriods) window.unshift(undefined);
  let breaching = 0;
  let present = 0;
  for (const value of window) {
    if (value === undefined) {
      if (alarm.treatMissingData === 'breaching') {
        breaching += 1;
        present += 1;
      } else if (alarm.treatMissingData === 'notBreaching') {
        present += 1;
      }
      continue;
    }
    present += 1;
    if (breaches(value, alarm.comparisonOperator, alarm.threshold)) breaching += 1;
  }
  if (present === 0) return alarm.treatMissingData === 'ignore' ? previous : 'INSUFFICIENT_DATA';
  return breaching >= alarm.datapointsToAlarm ? 'ALARM' : 'OK';
}

/**
 * Evaluates a composite alarm rule (`ALARM("a") AND NOT OK("b")`, names or ARNs inside the parentheses) against
 * the other alarms' states; an alarm it names that has no state counts as INSUFFICIENT_DATA.
 */
export function evaluateCompositeRule(rule: string, states: ReadonlyMap<string, AlarmState>): boolean {
  const tokens = tokenize(rule);
  let at = 0;
  const peek = () => tokens[at];
  const next = () => {
    const token = tokens[at];
    if (token === undefined) throw new SyntaxError(`alarm rule ended early: ${rule}`);
    at += 1;
    return token;
  };
  const expect = (token: string) => {
    const got = next();
    if (got !== token) throw new SyntaxError(`expected ${token}, found ${got} in alarm rule: ${rule}`);
  };
  const primary = (): boolean => {
    const token = next();
    if (token === '(') {
      const value = or();
      expect(')');
      return value;
    }
    if (token === 'NOT') return !primary();
    if (token === 'TRUE') return true;
    if (token === 'FALSE') return false;
    if (token === 'ALARM' || token === 'OK' || token === 'INSUFFICIENT_DATA') {
      expect('(');
      const name = next();
      expect(')');
      return (states.get(alarmNameOf(name)) ?? 'INSUFFICIENT_DATA') === token;
    }
    throw new SyntaxError(`unexpected ${token} in alarm rule: ${rule}`);
  };
  const and = (): boolean => {
    let value = primary();
    while (peek() === 'AND') {
      next();
      const right = primary();
      value = value && right;
    }
    return value;
  };
  const or = (): boolean => {
    let value = and();
    while (peek() === 'OR') {
      next();
      const right = and();
      value = value || right;
    }
    return value;
  };
  const result = or();
  if (at !== tokens.length) throw new SyntaxError(`unexpected ${tokens[at]} in alarm rule: ${rule}`);
  return result;
}

function tokenize(rule: string): string[] {
  const tokens: string[] = [];
  const pattern = /\s*(?:"([^"]*)"|([()])|([A-Za-z_]+)|(\S))/gy;
  for (let match = pattern.exec(rule); match !== null && match[0] !== ''; match = pattern.exec(rule)) {
    const [, quoted, paren, word, other] = match;
    if (other !== undefined) throw new SyntaxError(`unexpected "${other}" in alarm rule: ${rule}`);
    tokens.push(quoted ?? paren ?? (word as string));
  }
  return tokens;
}

/** An alarm's name from a name or a CloudWatch alarm ARN (`arn:...:alarm:<name>`). */
function alarmNameOf(nameOrArn: string): string {
  const at = nameOrArn.indexOf(':alarm:');
  return at < 0 ? nameOrArn : nameOrArn.slice(at + ':alarm:'.length);
}

/**
 * The alarms of a synthesized template: single-metric alarms, composite alarms (rules resolved to the alarms'
 * names, by AlarmName where the template sets one, else by logical ID) and metric-math alarms as unsupported.
 */
export function alarmsOfTemplate(template: CfnTemplate): AlarmDefinition[] {
  const names = new Map<string, string>();
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (!resource.Type.startsWith('AWS::CloudWatch::')) continue;
    const name = resource.Properties?.AlarmName;
    names.set(id, typeof name === 'string' ? name : id);
  }
  // A composite rule names its alarms by ARN (Fn::GetAtt); resolve those to the alarms' names.
  const withNames: CfnTemplate = {
    Resources: Object.fromEntries(
      Object.entries(template.Resources).map(([id, r]) => [
        id,
        r.Type === 'AWS::CloudWatch::Alarm' ? { Type: 'AWS::Lambda::Function', Properties: {} } : r,
      ]),
    ),
  };
  const alarms: AlarmDefinition[] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    const props = resource.Properties ?? {};
    const name = names.get(id) ?? id;
    if (resource.Type === 'AWS::CloudWatch::CompositeAlarm') {
      const rule = String(resolveCfn(props.AlarmRule, withNames)).replace(
        /arn:[^"]*:function:([^"]+)/g,
        (_, logicalId: string) => names.get(logicalId) ?? logicalId,
      );
      alarms.push({ kind: 'composite', name, rule });
    } else if (resource.Type === 'AWS::CloudWatch::Alarm') {
      if (props.MetricName === undefined) {
        alarms.push({ kind: 'unsupported', name, reason: 'metric math' });
        continue;
      }
      const dimensions = (props.Dimensions as { Name: string; Value: unknown }[] | undefined) ?? [];
      alarms.push({
        kind: 'metric',
        name,
        namespace: String(props.Namespace),
        metricName: String(props.MetricName),
        dimensions: Object.fromEntries(
          dimensions.map((d) => [d.Name, String(resolveCfn(d.Value, template))]),
        ),
        statistic: String(props.Statistic ?? 'Average') as MetricAlarmDefinition['statistic'],
        periodSeconds: Number(props.Period),
        threshold: Number(props.Threshold),
        comparisonOperator: String(props.ComparisonOperator) as ComparisonOperator,
        evaluationPeriods: Number(props.EvaluationPeriods),
        datapointsToAlarm: Number(props.DatapointsToAlarm ?? props.EvaluationPeriods),
        treatMissingData: String(props.TreatMissingData ?? 'missing') as TreatMissingData,
      });
    }
  }
  return alarms;
}

/** One metric value at a time (milliseconds since the epoch), with exactly the dimensions it was published with. */
export interface MetricPoint {
  namespace: string;
  name: string;
  dimensions: Readonly<Record<string, string>>;
  value: number;
  time: number;
}

/** Parses CloudWatch Embedded Metric Format documents (one JSON object a line) into metric points at `time`. */
export function parseEmf(text: string, time: number): MetricPoint[] {
  const points: MetricPoint[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{') || !line.includes('"_aws"')) continue;
    const doc = JSON.parse(line) as {
      _aws: {
        CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[];
      };
      [key: string]: unknown;
    };
    for (const directive of doc._aws.CloudWatchMetrics) {
      for (const set of directive.Dimensions.length === 0 ? [[]] : directive.Dimensions) {
        const dimensions = Object.fromEntries(set.map((n) => [n, String(doc[n])]));
        for (const metric of directive.Metrics) {
          const raw = doc[metric.Name];
          for (const value of Array.isArray(raw) ? raw : [raw]) {
            if (typeof value === 'number') {
              points.push({ namespace: directive.Namespace, name: metric.Name, dimensions, value, time });
            }
          }
        }
      }
    }
  }
  return points;
}

/** Alarm states over time: feed metric points, then ask for every alarm's state at the end of each period. */
export class AlarmEvaluator {
  private readonly points: MetricPoint[] = [];
  private readonly states = new Map<string, AlarmState>();

  constructor(readonly alarms: readonly AlarmDefinition[]) {
    for (const alarm of alarms) this.states.set(alarm.name, 'INSUFFICIENT_DATA');
  }

  add(points: readonly MetricPoint[]): void {
    this.points.push(...points);
  }

  /** Evaluates every alarm at `time` (ms) and returns the alarms whose state changed, with their new state. */
  evaluate(time: number): { name: string; from: AlarmState; to: AlarmState }[] {
    const changes: { name: string; from: AlarmState; to: AlarmState }[] = [];
    const set = (name: string, to: AlarmState) => {
      const from = this.states.get(name) ?? 'INSUFFICIENT_DATA';
      if (from !== to) changes.push({ name, from, to });
      this.states.set(name, to);
    };
    for (const alarm of this.alarms) {
      if (alarm.kind !== 'metric') continue;
      set(alarm.name, evaluateMetricAlarm(alarm, this.periods(alarm, time), this.state(alarm.name)));
    }
    for (const alarm of this.alarms) {
      if (alarm.kind !== 'composite') continue;
      set(alarm.name, evaluateCompositeRule(alarm.rule, this.states) ? 'ALARM' : 'OK');
    }
    return changes;
  }

  state(name: string): AlarmState {
    return this.states.get(name) ?? 'INSUFFICIENT_DATA';
  }

  /** The statistic of each of the alarm's last `evaluationPeriods` periods ending at `time`. */
  private periods(alarm: MetricAlarmDefinition, time: number): (number | undefined)[] {
    const period = alarm.periodSeconds * 1000;
    const end = Math.floor(time / period) * period;
    const wanted = Object.entries(alarm.dimensions);
    const matching = this.points.filter(
      (p) =>
        p.namespace === alarm.namespace &&
        p.name === alarm.metricName &&
        Object.keys(p.dimensions).length === wanted.length &&
        wanted.every(([k, v]) => p.dimensions[k] === v),
    );
    const out: (number | undefined)[] = [];
    for (let i = alarm.evaluationPeriods; i >= 1; i--) {
      const from = end - i * period;
      const values = matching.filter((p) => p.time >= from && p.time < from + period).map((p) => p.value);
      out.push(aggregate(values, alarm.statistic));
    }
    return out;
  }
}
