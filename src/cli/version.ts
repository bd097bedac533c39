// The package's version, inlined at build time (only this one field of package.json ends up in the bundle).
import { version } from '../../package.json';

export const VERSION: string = version;
