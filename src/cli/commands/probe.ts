import type { Command } from '../command.js';
import { UsageError } from '../io.js';

export const probeCommand: Command = {
  name: 'probe',
  summary: '(not implemented yet)',
  usage: 's3-cors-doctor probe',
  async run() {
    throw new UsageError('probe is not implemented yet');
  },
};
