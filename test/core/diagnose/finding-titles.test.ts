import { FINDING_CODES } from '../../../src/core/diagnose/types.js';
import { FINDING_TITLES, findingTitle } from '../../../src/core/diagnose/finding-titles.js';

describe('plain headlines of the finding codes', () => {
  it.each(FINDING_CODES.map((code) => [code]))('%s has a one-line headline', (code) => {
    const title = FINDING_TITLES[code];
    expect(title, code).toBeTruthy();
    expect(title).not.toMatch(/\n/);
    expect(title!.length).toBeLessThanOrEqual(70);
  });

  it('tells the codes apart, with no internal references', () => {
    expect(new Set(Object.values(FINDING_TITLES)).size).toBe(FINDING_CODES.length);
    for (const title of Object.values(FINDING_TITLES)) expect(title).not.toMatch(/\bS(?!3\b)\d{1,2}\b|§|failure mode|[A-Z]{3,}_[A-Z]/);
  });

  it('gives an unknown code a neutral headline', () => {
    expect(findingTitle('SOMETHING_NEW')).toBe('A problem with this request');
    expect(findingTitle('HEADERS_NOT_ALLOWED')).toBe('A request header is not allowed');
  });
});
