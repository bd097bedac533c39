import type { Command } from '../command.js';
import { UsageError } from '../io.js';

export const explainCommand: Command = {
  name: 'explain',
  summary: '(not implemented yet)',
  usage: 's3-cors-doctor explain',
  async run() {
    throw new UsageError('explain is not implemented yet');
  },
};
