import { describe, expect, it } from 'vitest';
import { scopeProblem } from '../../src/campaigns/department-scope.js';

describe('a communicator limited to some departments', () => {
  const CENTRAL_AND_CAPITAL = ['11', '00'];

  it('may address those departments, or fewer, by the audience or by its segment', () => {
    expect(scopeProblem(CENTRAL_AND_CAPITAL, [{ departments: ['11'] }])).toBeNull();
    expect(scopeProblem(CENTRAL_AND_CAPITAL, [{ departments: ['00', '11'], roles: ['parent'] }])).toBeNull();
    expect(scopeProblem(CENTRAL_AND_CAPITAL, [{ roles: ['parent'] }, { departments: ['00'] }])).toBeNull();
  });

  it('may not leave them', () => {
    expect(scopeProblem(CENTRAL_AND_CAPITAL, [{ departments: ['11', '07'] }])).toBe('the audience includes departments you may not address (07); yours: 11, 00');
  });

  it('may not address the whole country by leaving the department filter out', () => {
    expect(scopeProblem(CENTRAL_AND_CAPITAL, [{ roles: ['parent'] }])).toMatch(/no department filter, so it reaches every department/);
    expect(scopeProblem(CENTRAL_AND_CAPITAL, [{ departments: [] }])).toMatch(/no department filter/);
  });

  it('limits nobody without departments', () => {
    expect(scopeProblem([], [{}])).toBeNull();
  });
});
