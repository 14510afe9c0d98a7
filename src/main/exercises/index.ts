// Which machine runs each side of each exercise.

import type { ClientParams } from '@shared/contract'
import { DEFAULT_ACK, type Exercise } from '@shared/settings'
import { clientName, DEFAULT_CLIENT_BASE, randomDedupList, randomSet } from '@shared/lab'
import { AdderClient, AdderServer } from './adder'
import { dedupTask } from './dedup'
import { GreetingClient, GreetingServer } from './greeting'
import { intersectionTask } from './intersection'
import { ListClient, ListServer } from './list-exchange'
import type { PeerContext, PeerMachine } from './machine'

export interface ServerOptions {
  /** Intersection: the size of the server's own set. */
  setSize: number
}

export function createServerMachine(exercise: Exercise, ctx: PeerContext, options: ServerOptions): PeerMachine {
  switch (exercise) {
    case 'greeting':
      return new GreetingServer(ctx)
    case 'dedup':
      return new ListServer(ctx, dedupTask)
    case 'intersection':
      return new ListServer(
        ctx,
        intersectionTask(() => randomSet(ctx.rng, options.setSize)),
      )
    case 'adder':
      return new AdderServer(ctx)
  }
}

export function createClientMachine(exercise: Exercise, ctx: PeerContext, params: ClientParams): PeerMachine {
  const ack = params.ack ?? DEFAULT_ACK
  switch (exercise) {
    case 'greeting':
      return new GreetingClient(ctx, ack)
    case 'dedup':
      return new ListClient(ctx, dedupTask, params.numbers ?? randomDedupList(ctx.rng, params.count), ack)
    case 'intersection':
      return new ListClient(
        ctx,
        intersectionTask(() => []),
        params.numbers ?? randomSet(ctx.rng, params.size ?? 25),
        ack,
      )
    case 'adder':
      return new AdderClient(ctx, params.name ?? clientName(DEFAULT_CLIENT_BASE, ctx.rng))
  }
}
