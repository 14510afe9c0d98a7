import { describe, expect, it } from 'vitest'
import { bindFields } from '../../../src/renderer/src/components/fields'

describe('a TextField bound to one key of a form', () => {
  it('takes its value, error field, form and disabled state from the key', () => {
    const bind = bindFields({ port: '12345', count: '' }, () => {}, 'client:adder', true)
    const { onChange, ...rest } = bind('port')
    expect(rest).toEqual({ value: '12345', form: 'client:adder', field: 'port', disabled: true })
    expect(typeof onChange).toBe('function')
  })
  it('sets that key and no other', () => {
    const calls: [string, string][] = []
    const bind = bindFields({ port: '', count: '' }, (key, value) => calls.push([key, value]), 'many')
    bind('count').onChange('25')
    expect(calls).toEqual([['count', '25']])
    expect(bind('count').disabled).toBeUndefined()
  })
})
