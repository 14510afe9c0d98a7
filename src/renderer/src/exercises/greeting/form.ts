// Greeting: the acknowledgement sent back, and the client's own port (the handout binds 32451).

import { DEFAULT_ACK } from '@shared/settings'
import { wholeNumber } from '../../store/parse'
import type { ExerciseForm } from '../form'

export const greetingForm: ExerciseForm = {
  clientDefaults: () => ({ ack: DEFAULT_ACK, localPort: '' }),
  clientFields: ['ack', 'localPort'],
  clientParams: (form) => ({
    params: { ack: form.ack },
    ...(form.localPort.trim() ? { localPort: wholeNumber(form.localPort, 'localPort') } : {}),
  }),
}
