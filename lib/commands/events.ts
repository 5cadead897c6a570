// pman events [--since T] [--until T] [--filter K=V]... [--format TPL|json] [--stream=false]
import type { Argv } from 'yargs';
import { parseMoment } from '../events/filter.js';
import { eventJson, eventLine, eventView, selectEvents } from '../events/show.js';
import { compileTemplate } from '../format/template.js';
import { last, list } from './argv.js';
import { write, type CommandSpec } from './types.js';

export const events: CommandSpec = {
  usage: 'events [options]',
  builder: (y: Argv) =>
    y
      .option('since', { type: 'string', describe: 'Show events from this time on (timestamp, Unix seconds or a duration before now)' })
      .option('until', { type: 'string', describe: 'Show events up to this time (and stop following then)' })
      .option('filter', { alias: 'f', type: 'string', describe: 'Filter: type=, event=, container=, image=, label=, volume=, network=' })
      .option('format', { type: 'string', describe: 'Go template for each event, or json' })
      .option('stream', { type: 'boolean', default: true, describe: 'Follow new events (--stream=false: print the past ones and exit)' }),
  handler: async (ctx, argv, io) => {
    const since = last(argv.since);
    const until = last(argv.until);
    const format = last(argv.format);
    const render = format && format !== 'json' ? compileTemplate(format) : undefined;
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    // A reader that went away (`pman events | head`) ends the stream.
    io.stdout.on('error', onSignal);
    try {
      const stream = selectEvents(ctx, {
        since: since === undefined ? undefined : parseMoment('since', since),
        until: until === undefined ? undefined : parseMoment('until', until),
        filters: list(argv.filter),
        stream: argv.stream !== false,
        signal: stop.signal,
      });
      // One promise for the whole stream: one per line would add a listener to the signal per
      // event (a follower's leak, and Node's MaxListenersExceededWarning on stderr).
      const interrupted = aborted(stop.signal);
      for await (const e of stream) {
        if (stop.signal.aborted) break;
        const text = format === 'json' ? eventJson(e) : render ? render(eventView(e)) : eventLine(e);
        await Promise.race([write(io.stdout, `${text}\n`), interrupted]);
      }
    } finally {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      io.stdout.removeListener('error', onSignal);
    }
    return 0;
  },
};

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
}
