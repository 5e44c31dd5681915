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
});
