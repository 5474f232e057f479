import { MAX_CHANNEL_NAME_LENGTH } from './name.js'
import type { CompiledPattern } from './pattern.js'

/**
 * A pattern as a sequence of tokens: a literal character, or a `{param}`
 * (one or more characters: one character, then a loop on any character).
 */
type Token = { readonly char: string } | { readonly param: true }

function tokens(pattern: CompiledPattern): Token[] {
  const out: Token[] = []
  for (const segment of pattern.segments) {
    if ('literal' in segment) for (const char of segment.literal) out.push({ char })
    else out.push({ param: true })
  }
  return out
}

/** Names of type `private` never start with this (they would be `private-encrypted`). */
const ENCRYPTED_PREFIX = 'private-encrypted-'
/** Guard state once a name has left the encrypted prefix: it can no longer become one. */
const LEFT = -1

/**
 * A state of the product automaton: position in each pattern, whether the
 * current param of each has taken its first character (then it loops), and
 * how much of `private-encrypted-` the name has spelt so far (`LEFT` once it
 * diverged). Encoded as a string key.
 */
interface State {
  readonly i: number
  readonly inA: boolean
  readonly j: number
  readonly inB: boolean
  readonly guard: number
}

/**
 * A channel name both patterns match, or `null` when there is none. Each
 * pattern is a regular language (literal characters, and `{param}` = one or
 * more of any character); the witness is a shortest word of their
 * intersection, found by a breadth-first search of the product automaton —
 * a complete decision, whatever the patterns' features. The search also
 * keeps to what a name can be: at most 200 characters, and for `private`
 * patterns a name that is not `private-encrypted-…` (a different type).
 *
 * @param a - a compiled pattern.
 * @param b - another.
 * @returns the shortest common name, or `null`.
 * @internal
 */
export function overlapWitness(a: CompiledPattern, b: CompiledPattern): string | null {
  if (a.type !== b.type) return null
  const x = tokens(a)
  const y = tokens(b)
  const guarded = a.type === 'private'
  const key = (s: State) => `${s.i},${s.inA ? 1 : 0},${s.j},${s.inB ? 1 : 0},${s.guard}`
  const start: State = { i: 0, inA: false, j: 0, inB: false, guard: guarded ? 0 : LEFT }
  const parent = new Map<string, { from: string; char: string } | null>([[key(start), null]])
  let frontier = [start]
  for (let length = 0; length <= MAX_CHANNEL_NAME_LENGTH && frontier.length > 0; length++) {
    const next: State[] = []
    for (const state of frontier) {
      const id = key(state)
      if (accepts(state, x, y)) return spell(id, parent)
      for (const [char, to] of steps(state, x, y)) {
        const toId = key(to)
        if (parent.has(toId)) continue
        parent.set(toId, { from: id, char })
        next.push(to)
      }
    }
    frontier = next
  }
  return null
}

/**
 * Whether some channel name matches both patterns.
 * @internal
 */
export function patternsOverlap(a: CompiledPattern, b: CompiledPattern): boolean {
  return overlapWitness(a, b) !== null
}

/** Both patterns fully read (a param that has its first character may end here). */
function accepts(s: State, x: Token[], y: Token[]): boolean {
  const doneA = s.inA ? s.i === x.length - 1 : s.i === x.length
  const doneB = s.inB ? s.j === y.length - 1 : s.j === y.length
  return doneA && doneB
}

/** What one pattern can do on reading a character: the next (position, inParam) choices. */
function advance(
  tokensOf: Token[],
  i: number,
  inParam: boolean,
  char: string,
): Array<[number, boolean]> {
  const out: Array<[number, boolean]> = []
  // Leave a param that already holds a character: the character is read by the token after it.
  const positions: Array<[number, boolean]> = inParam
    ? [
        [i, true],
        [i + 1, false],
      ]
    : [[i, false]]
  for (const [at, looping] of positions) {
    const token = tokensOf[at]
    if (token === undefined) continue
    if (looping) {
      out.push([at, true]) // the param takes this character too
      continue
    }
    if ('param' in token) out.push([at, true])
    else if (token.char === char) out.push([at + 1, false])
  }
  return out
}

/** The characters worth trying from a state: the patterns' next literals, and one "other". */
function candidates(s: State, x: Token[], y: Token[]): string[] {
  const chars = new Set<string>()
  for (const token of [x[s.i], x[s.i + 1], y[s.j], y[s.j + 1]]) {
    if (token && 'char' in token) chars.add(token.char)
  }
  if (s.guard !== LEFT) chars.add(ENCRYPTED_PREFIX[s.guard]!)
  // Any character neither pattern names and the guard does not expect
  // (params accept any; '~' is outside the channel set, a stand-in for "another one").
  chars.add('~')
  return [...chars]
}

function steps(s: State, x: Token[], y: Token[]): Array<[string, State]> {
  const out: Array<[string, State]> = []
  for (const char of candidates(s, x, y)) {
    let guard = s.guard
    if (guard !== LEFT) {
      guard = ENCRYPTED_PREFIX[guard] === char ? guard + 1 : LEFT
      if (guard === ENCRYPTED_PREFIX.length) continue // a private-encrypted name: another type
    }
    for (const [i, inA] of advance(x, s.i, s.inA, char)) {
      for (const [j, inB] of advance(y, s.j, s.inB, char))
        out.push([char, { i, inA, j, inB, guard }])
    }
  }
  return out
}

function spell(id: string, parent: Map<string, { from: string; char: string } | null>): string {
  const chars: string[] = []
  let at = parent.get(id)
  while (at) {
    chars.push(at.char)
    at = parent.get(at.from)
  }
  return chars.reverse().join('').replaceAll('~', 'x')
}
