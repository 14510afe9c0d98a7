// The one list of field words: each field's label (as each form shows it) and command-line option, and
// the sentence an error about a field is said in.

import { describe, expect, it } from 'vitest'
import { cliFlag, fieldLabel, fieldSentence, sentence } from '@shared/fields'

describe('field words', () => {
  it('labels a field as the form of that command shows it', () => {
    expect(fieldLabel('port')).toBe('Port')
    expect(fieldLabel('paceMs')).toBe('Pace')
    expect(fieldLabel('connections', 'checkClient')).toBe('Clients to grade')
    expect(fieldLabel('connections', 'checkProgram')).toBe('Times to start it')
    expect(fieldLabel('host', 'serverStart')).toBe('Listen on')
    expect(fieldLabel('serverId')).toBe('serverId')
  })

  it('names the command line’s option of a field', () => {
    expect(cliFlag('port')).toBe('--port')
    expect(cliFlag('localPort')).toBe('--local-port')
    expect(cliFlag('paceMs')).toBe('--pace')
    expect(cliFlag('timeoutS')).toBe('--timeout')
  })

  it('says an error in one sentence: a verb follows the label, anything else a colon', () => {
    expect(fieldSentence('Port', 'must be 0 to 65535')).toBe('Port must be 0 to 65535.')
    expect(fieldSentence('Client name', 'enter a name')).toBe('Client name: enter a name.')
    expect(fieldSentence('--port', 'must be 1 to 65535')).toBe('--port must be 1 to 65535.')
    expect(sentence('that server is not running')).toBe('That server is not running.')
    expect(sentence('Is it python3?')).toBe('Is it python3?')
    expect(sentence('a list of words (an argv)')).toBe('A list of words (an argv).')
    expect(sentence('unknown command (is it python3?)')).toBe('Unknown command (is it python3?)')
  })
})
