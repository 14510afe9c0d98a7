// A server end of an adder connection, as the recorder is told of one: for tests of the recorder itself.

export const adderServerEnd = {
  role: 'server' as const,
  exercise: 'adder' as const,
  ownerId: 'srv-1',
  local: { address: '127.0.0.1', port: 12345 },
  remote: { address: '127.0.0.1', port: 40000 },
  state: 'open' as const,
  openedAt: 1,
}
