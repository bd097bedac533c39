import type { Command } from '../command.js';
import { UsageError } from '../io.js';

export const harCommand: Command = {
  name: 'har',
  summary: '(not implemented yet)',
  usage: 's3-cors-doctor har',
  async run() {
    throw new UsageError('har is not implemented yet');
  },
};
