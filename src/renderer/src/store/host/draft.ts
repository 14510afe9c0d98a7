// Helpers of the domain reducers: a record copied at most once per batch, and bounded appends.

/** A record copied at most once per reduction, however many entries change. */
export class Draft<T> {
  private copied = false
  constructor(public value: Readonly<Record<string, T>>) {}
  get changed(): boolean {
    return this.copied
  }
  private own(): Record<string, T> {
    if (!this.copied) {
      this.value = { ...this.value }
      this.copied = true
    }
    return this.value as Record<string, T>
  }
  set(key: string, v: T): void {
    this.own()[key] = v
  }
  delete(key: string): void {
    if (key in this.value) delete this.own()[key]
  }
}

export function appendBounded<T>(list: readonly T[] | undefined, add: readonly T[], max: number): readonly T[] {
  const all = list ? list.concat(add) : add.slice()
  return all.length > max ? all.slice(all.length - max) : all
}

/** A patch being built: the state's fields, writable. */
export type Patch<T> = { -readonly [K in keyof T]?: T[K] }
