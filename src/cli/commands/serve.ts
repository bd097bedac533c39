import type { Command } from '../command.js';
import { UsageError } from '../io.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: '(not implemented yet)',
  usage: 's3-cors-doctor serve',
  async run() {
    throw new UsageError('serve is not implemented yet');
  },
};
