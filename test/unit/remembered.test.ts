// A remembered function computes each argument's result once, and its memory never grows past its limit.
import { describe, expect, test } from 'vitest';
import { remembered } from '../../src/lib/remembered.js';

describe('remembered', () => {
  test('gives the same results and computes each argument once', () => {
    const computed: number[] = [];
    const square = remembered(10, (n: number) => {
      computed.push(n);
      return n * n;
    });
    expect([square(3), square(4), square(3), square(4)]).toEqual([9, 16, 9, 16]);
    expect(computed).toEqual([3, 4]);
  });

  test('keeps an undefined result too', () => {
    let calls = 0;
    const nothing = remembered(10, () => {
      calls += 1;
      return undefined;
    });
    nothing('a');
    nothing('a');
    expect(calls).toBe(1);
  });

  test('starts afresh when full, so new arguments cannot grow it', () => {
    const computed: string[] = [];
    const upper = remembered(2, (text: string) => {
      computed.push(text);
      return text.toUpperCase();
    });
    upper('a');
    upper('b');
    upper('c'); // full: forgets a and b
    upper('c');
    upper('a');
    expect(computed).toEqual(['a', 'b', 'c', 'a']);
  });
});
