/**
 * The SOQL subset a sync needs: SELECT fields (or COUNT()) FROM one object, WHERE with = != < > <= >= IN / NOT IN
 * LIKE, AND / OR / NOT and parentheses, ORDER BY (ASC|DESC, NULLS FIRST|LAST), LIMIT and OFFSET. Errors carry
 * Salesforce's messages, including the `ERROR at Row:r:Column:c` pointer.
 */
import { sfErrors, type SalesforceError } from './errors';
import { isValidId, normalizeId } from './ids';
import type { FieldSpec, ObjectSchema } from './schema';
import type { FieldValue, RecordData } from './values';

type TokenKind = 'ident' | 'string' | 'number' | 'date' | 'datetime' | 'op' | 'punct' | 'end';
interface Token {
  kind: TokenKind;
  text: string;
  /** The literal's value for strings (unescaped); the source text otherwise. */
  value: string;
  pos: number;
}

type Literal = { kind: 'string' | 'number' | 'date' | 'datetime' | 'boolean' | 'null'; value: string; pos: number };
type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; inner: Condition }
  | { kind: 'compare'; field: FieldRef; op: string; value: Literal }
  | { kind: 'in'; field: FieldRef; negated: boolean; values: Literal[] };
interface FieldRef {
  name: string;
  pos: number;
}
interface OrderItem {
  field: FieldRef;
  descending: boolean;
  nullsFirst: boolean;
}

export interface SoqlQuery {
  count: boolean;
  fields: FieldRef[];
  object: FieldRef;
  where?: Condition;
  orderBy: OrderItem[];
  limit?: number;
  offset?: number;
}

const KEYWORDS = new Set([
  'SELECT',
  'FROM',
  'WHERE',
  'AND',
  'OR',
  'NOT',
  'IN',
  'LIKE',
  'ORDER',
  'BY',
  'ASC',
  'DESC',
  'NULLS',
  'FIRST',
  'LAST',
  'LIMIT',
  'OFFSET',
]);
const TOKEN_PATTERNS: Array<[TokenKind, RegExp]> = [
  ['datetime', /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})/y],
  ['date', /\d{4}-\d{2}-\d{2}(?![\dT])/y],
  ['number', /-?\d+(\.\d+)?/y],
  ['ident', /[A-Za-z_][A-Za-z0-9_.]*/y],
  ['op', /!=|<>|<=|>=|=|<|>/y],
  ['punct', /[(),]/y],
];

/** Builds Salesforce's query error text: the query, a caret under the offending column, and the reason. */
function located(soql: string, pos: number, detail: string): string {
  const before = soql.slice(0, pos);
  const row = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = soql.indexOf('\n', pos);
  const line = soql.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
  const column = pos - lineStart + 1;
  return `\n${line}\n${' '.repeat(column - 1)}^\nERROR at Row:${row}:Column:${column}\n${detail}`;
}

function readString(soql: string, start: number): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < soql.length) {
    const ch = soql.charAt(i);
    if (ch === "'") return { value, end: i + 1 };
    if (ch === '\\') {
      const next = soql.charAt(i + 1);
      value += { n: '\n', t: '\t', r: '\r' }[next] ?? next;
      i += 2;
      continue;
    }
    value += ch;
    i++;
  }
  throw sfErrors.MALFORMED_QUERY(located(soql, start, "mismatched character '<EOF>' expecting '''"));
}

export function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < soql.length) {
    if (/\s/.test(soql.charAt(pos))) {
      pos++;
      continue;
    }
    if (soql.charAt(pos) === "'") {
      const { value, end } = readString(soql, pos);
      tokens.push({ kind: 'string', text: soql.slice(pos, end), value, pos });
      pos = end;
      continue;
    }
    const token = matchToken(soql, pos);
    if (!token) throw sfErrors.MALFORMED_QUERY(located(soql, pos, `unexpected token: '${soql.charAt(pos)}'`));
    tokens.push(token);
    pos += token.text.length;
  }
  tokens.push({ kind: 'end', text: '<EOF>', value: '', pos: soql.length });
  return tokens;
}

function matchToken(soql: string, pos: number): Token | undefined {
  for (const [kind, pattern] of TOKEN_PATTERNS) {
    pattern.lastIndex = pos;
    const match = pattern.exec(soql);
    if (match) return { kind, text: match[0], value: match[0], pos };
  }
  return undefined;
}

class Parser {
  private index = 0;
  constructor(
    private readonly soql: string,
    private readonly tokens: Token[],
  ) {}

  private peek(): Token {
    return this.tokens[this.index] ?? this.tokens[this.tokens.length - 1]!;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private isKeyword(word: string, token = this.peek()): boolean {
    return token.kind === 'ident' && token.text.toUpperCase() === word;
  }

  private acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.index++;
    return true;
  }

  fail(token: Token, detail = `unexpected token: ${token.text}`): SalesforceError {
    return sfErrors.MALFORMED_QUERY(located(this.soql, token.pos, detail));
  }

  private expectKeyword(word: string): void {
    if (!this.acceptKeyword(word)) throw this.fail(this.peek());
  }

  private expectPunct(text: string): void {
    const token = this.next();
    if (token.kind !== 'punct' || token.text !== text) throw this.fail(token);
  }

  private identifier(): FieldRef {
    const token = this.next();
    if (token.kind !== 'ident' || KEYWORDS.has(token.text.toUpperCase())) throw this.fail(token);
    return { name: token.text, pos: token.pos };
  }

  parse(): SoqlQuery {
    this.expectKeyword('SELECT');
    const { count, fields } = this.selectList();
    this.expectKeyword('FROM');
    const query: SoqlQuery = { count, fields, object: this.identifier(), orderBy: [] };
    if (this.acceptKeyword('WHERE')) query.where = this.orCondition();
    if (this.acceptKeyword('ORDER')) {
      this.expectKeyword('BY');
      query.orderBy = this.orderList();
    }
    if (this.acceptKeyword('LIMIT')) query.limit = this.integer();
    if (this.acceptKeyword('OFFSET')) query.offset = this.integer();
    const rest = this.peek();
    if (rest.kind !== 'end') throw this.fail(rest);
    return query;
  }

  private selectList(): { count: boolean; fields: FieldRef[] } {
    if (this.isKeyword('COUNT') && this.tokens[this.index + 1]?.text === '(') {
      this.index++;
      this.expectPunct('(');
      this.expectPunct(')');
      return { count: true, fields: [] };
    }
    const fields = [this.identifier()];
    while (this.peek().text === ',') {
      this.index++;
      fields.push(this.identifier());
    }
    return { count: false, fields };
  }

  private orCondition(): Condition {
    let left = this.andCondition();
    while (this.acceptKeyword('OR')) left = { kind: 'or', left, right: this.andCondition() };
    return left;
  }

  private andCondition(): Condition {
    let left = this.unaryCondition();
    while (this.acceptKeyword('AND')) left = { kind: 'and', left, right: this.unaryCondition() };
    return left;
  }

  private unaryCondition(): Condition {
    if (this.acceptKeyword('NOT')) return { kind: 'not', inner: this.unaryCondition() };
    if (this.peek().text === '(') {
      this.index++;
      const inner = this.orCondition();
      this.expectPunct(')');
      return inner;
    }
    return this.comparison();
  }

  private comparison(): Condition {
    const field = this.identifier();
    const negated = this.acceptKeyword('NOT');
    if (this.acceptKeyword('IN')) return { kind: 'in', field, negated, values: this.literalList() };
    if (negated) throw this.fail(this.peek());
    if (this.acceptKeyword('LIKE')) return { kind: 'compare', field, op: 'LIKE', value: this.literal() };
    const op = this.next();
    if (op.kind !== 'op') throw this.fail(op);
    return { kind: 'compare', field, op: op.text === '<>' ? '!=' : op.text, value: this.literal() };
  }

  private literalList(): Literal[] {
    this.expectPunct('(');
    const values = [this.literal()];
    while (this.peek().text === ',') {
      this.index++;
      values.push(this.literal());
    }
    this.expectPunct(')');
    return values;
  }

  private literal(): Literal {
    const token = this.next();
    const upper = token.text.toUpperCase();
    if (token.kind === 'ident' && (upper === 'TRUE' || upper === 'FALSE'))
      return { kind: 'boolean', value: upper.toLowerCase(), pos: token.pos };
    if (token.kind === 'ident' && upper === 'NULL') return { kind: 'null', value: '', pos: token.pos };
    if (token.kind === 'string' || token.kind === 'number' || token.kind === 'date' || token.kind === 'datetime') {
      return { kind: token.kind, value: token.value, pos: token.pos };
    }
    throw this.fail(token);
  }

  private orderList(): OrderItem[] {
    const items: OrderItem[] = [];
    do {
      if (items.length > 0) this.index++;
      const field = this.identifier();
      const descending = this.acceptKeyword('DESC');
      if (!descending) this.acceptKeyword('ASC');
      let nullsFirst = !descending;
      if (this.acceptKeyword('NULLS')) {
        if (this.acceptKeyword('FIRST')) nullsFirst = true;
        else if (this.acceptKeyword('LAST')) nullsFirst = false;
        else throw this.fail(this.peek());
      }
      items.push({ field, descending, nullsFirst });
    } while (this.peek().text === ',');
    return items;
  }

  private integer(): number {
    const token = this.next();
    if (token.kind !== 'number' || !/^\d+$/.test(token.text)) throw this.fail(token);
    return Number(token.text);
  }
}

export function parseSoql(soql: string): SoqlQuery {
  return new Parser(soql, tokenize(soql)).parse();
}

/** A parsed query checked against the schema: field names resolved to their canonical spelling. */
export interface BoundQuery extends SoqlQuery {
  selected: FieldSpec[];
}

/** Resolves names against the schema and checks each filter value's type, as Salesforce does before running. */
export function bindQuery(soql: string, query: SoqlQuery, schema: ObjectSchema): BoundQuery {
  if (query.object.name.toLowerCase() !== schema.name.toLowerCase()) {
    throw sfErrors.INVALID_TYPE(
      located(
        soql,
        query.object.pos,
        `sObject type '${query.object.name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
      ),
    );
  }
  const resolve = (ref: FieldRef): FieldSpec => {
    const field = schema.field(ref.name);
    if (field) return field;
    throw sfErrors.INVALID_QUERY_FIELD(
      located(
        soql,
        ref.pos,
        `No such column '${ref.name}' on entity '${schema.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      ),
    );
  };
  const selected = query.fields.map(resolve);
  const seen = new Set<string>();
  for (const [i, field] of selected.entries()) {
    if (seen.has(field.name))
      throw sfErrors.MALFORMED_QUERY(located(soql, query.fields[i]!.pos, `duplicate field selected: ${field.name}`));
    seen.add(field.name);
  }
  if (query.where) checkCondition(soql, query.where, resolve);
  for (const item of query.orderBy) resolve(item.field);
  return { ...query, selected };
}

const LITERAL_KIND_FOR: Partial<Record<FieldSpec['type'], Literal['kind']>> = {
  date: 'date',
  datetime: 'datetime',
  boolean: 'boolean',
  currency: 'number',
};

function checkCondition(soql: string, condition: Condition, resolve: (ref: FieldRef) => FieldSpec): void {
  switch (condition.kind) {
    case 'and':
    case 'or':
      checkCondition(soql, condition.left, resolve);
      return checkCondition(soql, condition.right, resolve);
    case 'not':
      return checkCondition(soql, condition.inner, resolve);
    default:
      return checkComparison(soql, condition, resolve);
  }
}

function checkComparison(
  soql: string,
  condition: Extract<Condition, { field: FieldRef }>,
  resolve: (ref: FieldRef) => FieldSpec,
): void {
  const field = resolve(condition.field);
  if (field.type === 'textarea') {
    throw sfErrors.INVALID_QUERY_FIELD(
      located(soql, condition.field.pos, `field '${field.name}' can not be filtered in a query call`),
    );
  }
  const values = condition.kind === 'in' ? condition.values : [condition.value];
  for (const literal of values) checkLiteral(soql, field, literal, condition.kind === 'compare' ? condition.op : 'IN');
}

function checkLiteral(soql: string, field: FieldSpec, literal: Literal, op: string): void {
  if (literal.kind === 'null') {
    if (op === '=' || op === '!=' || op === 'IN') return;
    throw sfErrors.MALFORMED_QUERY(located(soql, literal.pos, `unexpected token: null`));
  }
  const wanted = LITERAL_KIND_FOR[field.type] ?? 'string';
  if (literal.kind !== wanted) {
    const quoted = wanted === 'string' ? 'should be enclosed in quotes' : 'should not be enclosed in quotes';
    const typeName = wanted === 'datetime' ? 'dateTime' : field.type === 'currency' ? 'double' : field.type;
    throw sfErrors.INVALID_QUERY_FILTER_OPERATOR(
      located(
        soql,
        literal.pos,
        `value of filter criterion for field '${field.name}' must be of type ${typeName} and ${quoted}`,
      ),
    );
  }
  if ((field.type === 'id' || field.type === 'reference') && !isValidId(literal.value)) {
    throw sfErrors.INVALID_QUERY_FILTER_OPERATOR(located(soql, literal.pos, `invalid ID field: ${literal.value}`));
  }
}

/** A comparable form of a stored or literal value for `field`: text case-insensitive, datetimes as epoch ms. */
function comparable(field: FieldSpec, value: FieldValue | string): string | number | boolean | null {
  if (value === null) return null;
  switch (field.type) {
    case 'datetime':
      return Date.parse(String(value));
    case 'currency':
      return Number(value);
    case 'boolean':
      return value === true || value === 'true';
    case 'id':
    case 'reference':
      return isValidId(String(value)) ? normalizeId(String(value)).toLowerCase() : String(value).toLowerCase();
    case 'date':
      return String(value);
    default:
      return String(value).toLowerCase();
  }
}

function literalValue(literal: Literal): FieldValue {
  return literal.kind === 'null' ? null : literal.value;
}

function likeToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.');
  return new RegExp(`^${escaped}$`, 'is');
}

type RecordTest = (record: RecordData) => boolean;

/** One comparison, its literal made comparable once for the whole query rather than once a record. */
function comparisonTest(field: FieldSpec, op: string, literal: Literal): RecordTest {
  const stored = (record: RecordData) => record[field.name] ?? null;
  const right = comparable(field, literalValue(literal));
  if (op === '=') return (r) => comparable(field, stored(r)) === right;
  if (op === '!=') return (r) => comparable(field, stored(r)) !== right;
  if (op === 'LIKE') {
    const pattern = likeToRegExp(literal.value);
    return (r) => stored(r) !== null && pattern.test(String(stored(r)));
  }
  // Salesforce never matches a null with a range operator.
  if (right === null) return () => false;
  const inRange = (left: string | number | boolean): boolean => {
    if (op === '<') return left < right;
    if (op === '>') return left > right;
    if (op === '<=') return left <= right;
    return left >= right;
  };
  return (r) => {
    const left = comparable(field, stored(r));
    return left !== null && inRange(left);
  };
}

/** `IN (…)`: a set of the literals' comparable forms, so a 200-id sweep query costs one lookup a record. */
function membershipTest(field: FieldSpec, values: Literal[], negated: boolean): RecordTest {
  const wanted = new Set(values.map((v) => comparable(field, literalValue(v))));
  // `===` never matches NaN (an unparsable datetime); a set would.
  wanted.delete(Number.NaN);
  return (r) => wanted.has(comparable(field, r[field.name] ?? null)) !== negated;
}

/** The WHERE clause as one test, built once a query: a sweep runs it over every record of the object. */
function testOf(condition: Condition, schema: ObjectSchema): RecordTest {
  switch (condition.kind) {
    case 'and': {
      const [left, right] = [testOf(condition.left, schema), testOf(condition.right, schema)];
      return (r) => left(r) && right(r);
    }
    case 'or': {
      const [left, right] = [testOf(condition.left, schema), testOf(condition.right, schema)];
      return (r) => left(r) || right(r);
    }
    case 'not': {
      const inner = testOf(condition.inner, schema);
      return (r) => !inner(r);
    }
    case 'in':
      return membershipTest(schema.field(condition.field.name)!, condition.values, condition.negated);
    case 'compare':
      return comparisonTest(schema.field(condition.field.name)!, condition.op, condition.value);
  }
}

function orderRecords(records: RecordData[], orderBy: OrderItem[], schema: ObjectSchema): RecordData[] {
  if (orderBy.length === 0) return records;
  return [...records].sort((a, b) => {
    for (const item of orderBy) {
      const field = schema.field(item.field.name)!;
      const x = comparable(field, a[field.name] ?? null);
      const y = comparable(field, b[field.name] ?? null);
      if (x === y) continue;
      if (x === null) return item.nullsFirst ? -1 : 1;
      if (y === null) return item.nullsFirst ? 1 : -1;
      const order = x < y ? -1 : 1;
      return item.descending ? -order : order;
    }
    return 0;
  });
}

/** Runs a bound query over `records` and returns the matching records in order, before projection. */
export function runQuery(query: BoundQuery, records: RecordData[], schema: ObjectSchema): RecordData[] {
  const where = query.where && testOf(query.where, schema);
  const filtered = where ? records.filter(where) : records;
  const ordered = orderRecords(filtered, query.orderBy, schema);
  const start = query.offset ?? 0;
  return ordered.slice(start, query.limit === undefined ? undefined : start + query.limit);
}
