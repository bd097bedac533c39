import type { Command } from '../command.js';
import { UsageError } from '../io.js';

export const simulateCommand: Command = {
  name: 'simulate',
  summary: '(not implemented yet)',
  usage: 's3-cors-doctor simulate',
  async run() {
    throw new UsageError('simulate is not implemented yet');
  },
};
