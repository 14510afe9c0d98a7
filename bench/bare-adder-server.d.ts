import type { EventEmitter } from 'node:events'

/** Answer one adder client on `socket`: `ack` to its name, then each sum (bench/bare-adder-server.js). */
export function answerAsBareNode(socket: EventEmitter & { write(data: string): boolean; destroy(): unknown }): void
