import { Writable } from 'node:stream';
import { createLogger } from '../../common/logger';

function capture(): { lines: () => Array<Record<string, unknown>>; stream: Writable } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('the logger', () => {
  it('writes JSON lines and redacts secrets at the top level, one level down, and in request headers', () => {
    const out = capture();
    const logger = createLogger('test', 'info', out.stream);
    logger.info(
      {
        PROCORE_CLIENT_SECRET: 'pc-secret',
        config: { SALESFORCE_CLIENT_SECRET: 'sf-secret', TANDEM_API_TOKEN: 'api-token' },
      },
      'config',
    );
    logger.info({ req: { headers: { authorization: 'Bearer xyz' } }, token: { access_token: 'tok' } }, 'request');
    logger.info({ hook: { destination_headers: { Authorization: 'Bearer webhook-secret' } } }, 'hook');
    const text = out
      .lines()
      .map((l) => JSON.stringify(l))
      .join('\n');
    for (const secret of ['pc-secret', 'sf-secret', 'api-token', 'Bearer xyz', '"tok"', 'webhook-secret'])
      expect(text).not.toContain(secret);
    expect(out.lines()[0]).toMatchObject({
      name: 'test',
      msg: 'config',
      PROCORE_CLIENT_SECRET: '[redacted]',
      config: { SALESFORCE_CLIENT_SECRET: '[redacted]' },
    });
  });

  it('redacts headers wherever a request or an HTTP error carries them, and the Temporal credentials', () => {
    const out = capture();
    const logger = createLogger('test', 'info', out.stream);
    logger.info({ headers: { authorization: 'Bearer h1-secret', cookie: 'sid=c1-secret' } }, 'headers');
    logger.info({ err: { options: { headers: { authorization: 'Bearer got-secret' } } } }, 'http error');
    logger.info({ response: { headers: { Authorization: 'Bearer r1-secret' } } }, 'response');
    logger.info({ config: { TEMPORAL_API_KEY: 'tmprl-key-secret', TEMPORAL_TLS_KEY: 'pem-secret' } }, 'temporal');
    const text = out
      .lines()
      .map((l) => JSON.stringify(l))
      .join('\n');
    for (const secret of ['h1-secret', 'c1-secret', 'got-secret', 'r1-secret', 'tmprl-key-secret', 'pem-secret'])
      expect(text).not.toContain(secret);
    expect(out.lines()).toHaveLength(4);
  });

  it('scrubs a configured secret value from anything, a message or an error text included', () => {
    const out = capture();
    const secret = 'webhook-secret-"quoted"-0123';
    const logger = createLogger('test', 'info', out.stream, [secret, 'short', undefined]);
    logger.error({ err: new Error(`login failed for ${secret}`) }, `Authorization was Bearer ${secret}`);
    logger.child({ component: 'ingress' }).warn({ detail: { nested: [secret] } }, 'deep');
    logger.info('a short value stays: short');
    const [first, second, third] = out.lines();
    expect(JSON.stringify([first, second])).not.toContain('webhook-secret');
    expect(first.msg).toBe('Authorization was Bearer [redacted]');
    expect((first.err as { message: string }).message).toBe('login failed for [redacted]');
    expect(second).toMatchObject({ component: 'ingress', detail: { nested: ['[redacted]'] } });
    expect(third.msg).toBe('a short value stays: short');
  });
});
