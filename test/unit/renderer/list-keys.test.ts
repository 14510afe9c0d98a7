import { describe, expect, it } from 'vitest'
import { nextIndex } from '../../../src/renderer/src/components/listKeys'

describe('keyboard selection in long lists', () => {
  it('starts at the top going down and at the bottom going up', () => {
    expect(nextIndex(-1, 1, 10)).toBe(0)
    expect(nextIndex(-1, -1, 10)).toBe(9)
  })
  it('moves and stays within the list', () => {
    expect(nextIndex(3, 1, 10)).toBe(4)
    expect(nextIndex(3, 20, 10)).toBe(9)
    expect(nextIndex(3, -20, 10)).toBe(0)
    expect(nextIndex(3, Infinity, 10)).toBe(9)
    expect(nextIndex(3, -Infinity, 10)).toBe(0)
  })
})
