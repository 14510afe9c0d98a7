import { afterEach, describe, expect, it } from 'vitest'
import { clientEnded, ok, watchedHost, type Watched } from '../helpers/host'

let w: Watched
afterEach(async () => {
  await w?.host.close()
})

async function server(exercise: 'greeting' | 'dedup' | 'intersection' | 'adder', extra = {}) {
  return ok(await w.host.call('serverStart', { exercise, host: 'loopback', port: 0, oneAtATime: false, ...extra }))
}

describe('our client against our server', () => {
  it('greeting: Thank you for connecting, then the acknowledgement, both close', async () => {
    w = watchedHost()
    const srv = await server('greeting')
    const cli = ok(await w.host.call('clientStart', { exercise: 'greeting', host: '127.0.0.1', port: srv.port }))
    const end = await w.waitFor(clientEnded(cli.clientId))
    expect(end.ok).toBe(true)
    expect(w.lines(cli.clientId)).toEqual(['Thank you for connecting'])
    await w.waitUntil(() => w.lines(srv.serverId).includes('It was nice talking to you'), 'server ack line')
    expect(w.lines(srv.serverId).some((l) => /^Got connection from \('127\.0\.0\.1', \d+\)$/.test(l))).toBe(true)
  })

  it('dedup: final list and duplicates, checked', async () => {
    w = watchedHost()
    const srv = await server('dedup')
    const cli = ok(
      await w.host.call('clientStart', {
        exercise: 'dedup',
        host: '127.0.0.1',
        port: srv.port,
        params: { numbers: [1, 5, 5, 9, 1, 5] },
      }),
    )
    const end = await w.waitFor(clientEnded(cli.clientId))
    expect(end.ok).toBe(true)
    const lines = w.lines(cli.clientId)
    expect(lines).toContain('Final list: [1, 5, 9]')
    // Our server sends the duplicates as a second message, and our client shows the server's own.
    expect(lines).toContain('Duplicates (from the server): [1, 5]')
  })

  it('intersection: sorted common numbers', async () => {
    w = watchedHost()
    const srv = await server('intersection')
    const cli = ok(await w.host.call('clientStart', { exercise: 'intersection', host: '127.0.0.1', port: srv.port }))
    const end = await w.waitFor(clientEnded(cli.clientId))
    expect(end.ok).toBe(true)
    const res = w.results(srv.serverId)[0]
    expect(res.kind).toBe('intersection')
    if (res.kind === 'intersection') {
      const want = res.clientSet.filter((v) => res.serverSet!.includes(v)).sort((a, b) => a - b)
      expect(w.lines(cli.clientId)).toContain(`Intersection: [${want.join(', ')}]`)
    }
  })

  it('adder: name, ack, a, invalid, q', async () => {
    w = watchedHost()
    const srv = await server('adder')
    const cli = ok(
      await w.host.call('clientStart', { exercise: 'adder', host: '127.0.0.1', port: srv.port, params: { name: 'alice-4821' } }),
    )
    for (const command of ['a', 'x', 'a', 'q']) ok(await w.host.call('clientCommand', { clientId: cli.clientId, command }))
    const end = await w.waitFor(clientEnded(cli.clientId))
    expect(end.ok).toBe(true)
    expect(w.lines(srv.serverId)).toContain('Connection initiated by alice-4821')
    const answers = w.lines(cli.clientId).filter((l) => l.startsWith('answer received from Server = '))
    expect(answers).toHaveLength(2)
    expect(w.lines(cli.clientId)).toContain('Invalid command')
  })
})
