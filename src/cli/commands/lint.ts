import type { Command } from '../command.js';
import { UsageError } from '../io.js';

export const lintCommand: Command = {
  name: 'lint',
  summary: '(not implemented yet)',
  usage: 's3-cors-doctor lint',
  async run() {
    throw new UsageError('lint is not implemented yet');
  },
};
