import type { Command } from '../command.js';
import { UsageError } from '../io.js';

export const redactCommand: Command = {
  name: 'redact',
  summary: '(not implemented yet)',
  usage: 's3-cors-doctor redact',
  async run() {
    throw new UsageError('redact is not implemented yet');
  },
};
