// A Streaming API subscriber built on the official CometD JavaScript client (npm `cometd` with `cometd-nodejs-client`),
// the way Salesforce's own Node samples use it: OAuth header, long-polling, and a small replay extension that puts
// `ext.replay` on /meta/subscribe. The client is ESM only, which Jest on Node 20 cannot load, so the tests run this
// script as a child process. It takes one JSON argument {url, token, channel, replayFrom} and prints one JSON line
// per thing it sees: {kind: 'meta', channel, message, status, at} for every meta reply, {kind: 'event', data, at} for
// every event, {kind: 'status', status, at} when its state settles after a failed handshake. A line "disconnect"
// on stdin makes it disconnect and exit.
import { createInterface } from 'node:readline';
import { adapt } from 'cometd-nodejs-client';
import { CometD } from 'cometd';

adapt();
const { url, token, channel, replayFrom } = JSON.parse(process.argv[2]);
const started = Date.now();
const print = (line) => process.stdout.write(`${JSON.stringify({ ...line, at: Date.now() - started })}\n`);

const cometd = new CometD();
cometd.configure({
  url,
  requestHeaders: { Authorization: `OAuth ${token}` },
  // Salesforce serves one URL; message types appended to it would be unknown paths.
  appendMessageTypeToURL: false,
  logLevel: 'warn',
});
cometd.registerExtension('replay', {
  outgoing(message) {
    if (message.channel === '/meta/subscribe' && message.subscription === channel) {
      message.ext = { ...message.ext, replay: { [channel]: replayFrom } };
    }
    return message;
  },
});

for (const meta of ['/meta/handshake', '/meta/connect', '/meta/subscribe', '/meta/disconnect']) {
  cometd.addListener(meta, (message) => {
    print({ kind: 'meta', channel: meta, message, status: cometd.getStatus() });
    // CometD settles its state (disconnect on `reconnect: none`, or a retry) right after notifying listeners.
    if (meta === '/meta/handshake' && !message.successful) {
      setTimeout(() => print({ kind: 'status', status: cometd.getStatus() }), 0);
    }
  });
}

cometd.handshake((reply) => {
  if (!reply.successful) return;
  cometd.subscribe(channel, (event) => print({ kind: 'event', data: event.data }));
});

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() !== 'disconnect') return;
  if (cometd.isDisconnected()) process.exit(0);
  cometd.disconnect(() => process.exit(0));
});
