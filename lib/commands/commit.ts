// pman commit [options] CONTAINER [IMAGE]
import type { Argv } from 'yargs';
import { commitContainer } from '../container/commit.js';
import { InvalidArgumentError, systemError } from '../errors.js';
import fs from 'node:fs';
import { list, last } from './argv.js';
import type { CommandSpec } from './types.js';

export const commit: CommandSpec = {
  usage: 'commit [options] CONTAINER [IMAGE]',
  positionals: '<container> [image]',
  builder: (y: Argv) =>
    y
      .option('change', { alias: 'c', type: 'string', describe: 'Apply a Dockerfile instruction to the image (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR); repeatable' })
      .option('message', { alias: 'm', type: 'string', describe: 'Set the commit message (history comment) of the image' })
      .option('author', { alias: 'a', type: 'string', describe: 'Set the author of the image' })
      .option('pause', { alias: 'p', type: 'boolean', default: false, describe: 'Pause the container while it is committed' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Suppress progress output (pman prints none)' })
      .option('format', { alias: 'f', type: 'string', default: 'oci', describe: 'Format of the image manifest and config: oci, or docker (schema 2, keeping docker-only fields such as the healthcheck)' })
      .option('squash', { alias: 's', type: 'boolean', default: false, describe: "Make the container's whole root filesystem the image's one layer" })
      .option('iidfile', { type: 'string', describe: 'Write the new image ID to this file' })
      .option('include-volumes', { type: 'boolean', default: false, describe: "Make the container's volume mount points VOLUMEs of the image" }),
  handler: async (ctx, argv, io) => {
    const format = last(argv.format)!;
    if (format !== 'oci' && format !== 'docker') throw new InvalidArgumentError(`invalid --format "${format}": use oci or docker`);
    const image = await commitContainer(ctx, {
      container: String(argv.container),
      reference: argv.image === undefined ? undefined : String(argv.image),
      changes: list(argv.change),
      message: argv.message === undefined ? undefined : last(argv.message)!,
      author: argv.author === undefined ? undefined : last(argv.author)!,
      pause: argv.pause === true,
      includeVolumes: argv.includeVolumes === true,
      squash: argv.squash === true,
      format,
    });
    const iidfile = last(argv.iidfile);
    if (iidfile !== undefined) {
      try {
        fs.writeFileSync(iidfile, `sha256:${image.id}`);
      } catch (err) {
        throw systemError(`write the image ID to --iidfile "${iidfile}"`, err);
      }
    }
    io.stdout.write(`${image.id}\n`);
    return 0;
  },
};
