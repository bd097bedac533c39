import { FINDING_CODES } from '../../../src/core/diagnose/types.js';
import { FINDING_TITLES, findingTitle } from '../../../src/core/diagnose/finding-titles.js';

describe('plain headlines of the finding codes', () => {
  it.each(FINDING_CODES.map((code) => [code]))('%s has a one-line headline', (code) => {
    const title = FINDING_TITLES[code];
    expect(title, code).toBeTruthy();
    expect(title).not.toMatch(/\n/);
    expect(title.length).toBeLessThanOrEqual(70);
  });

  it('has no headline for a code that does not exist, and no internal references', () => {
    expect(Object.keys(FINDING_TITLES).sort()).toEqual([...FINDING_CODES].sort());
    for (const title of Object.values(FINDING_TITLES)) expect(title).not.toMatch(/\bS(?!3\b)\d{1,2}\b|§|failure mode|[A-Z]{3,}_[A-Z]/);
  });

  it('gives an unknown code a neutral headline', () => {
    expect(findingTitle('SOMETHING_NEW')).toBe('A problem with this request');
    expect(findingTitle('HEADERS_NOT_ALLOWED')).toBe('A request header is not allowed');
  });
});
