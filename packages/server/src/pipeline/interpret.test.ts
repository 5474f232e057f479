/**
 * Authorizer results are read strictly: only the documented shapes allow.
 * Each odd value below goes through `auth`, `batch` and `userAuth`, returned
 * synchronously and from an async function: none is signed, each answers
 * 500 `INVALID_AUTHORIZER_RESULT`, and in debug mode the message names the
 * value's type and the documented shapes.
 */
import { describe, expect, it } from 'vitest'
import { deny } from '../errors.js'
import { createPresenceServer } from '../server.js'
import { ALICE, bearerSessions, form, post, signer } from '../server-fixture.js'
import { describeValue, interpretResult } from './interpret.js'

class Grant {
  events = []
  user_id = 'alice'
}
const rejected = Promise.reject(new Error('never awaited by the table'))
rejected.catch(() => {})

/** [label, value, the type the message must name] */
const ODD: ReadonlyArray<readonly [string, () => unknown, string]> = [
  ['an Error', () => new Error('denied'), 'an instance of Error'],
  ['a TypeError', () => new TypeError('denied'), 'an instance of TypeError'],
  ['{ allowed: false }', () => ({ allowed: false }), 'a plain object with keys [allowed]'],
  ['{ ok: false }', () => ({ ok: false }), 'a plain object with keys [ok]'],
  ['{ error: FORBIDDEN }', () => ({ error: 'FORBIDDEN' }), 'a plain object with keys [error]'],
  ['{ allow: true }', () => ({ allow: true }), 'a plain object with keys [allow]'],
  ['{}', () => ({}), 'an empty object'],
  ['Object.create(null)', () => Object.create(null), 'an empty object'],
  ['{ events: "x" }', () => ({ events: 'x' }), 'a plain object with keys [events]'],
  ['{ events: [1] }', () => ({ events: [1] }), 'a plain object with keys [events]'],
  ['{ user_id: "" }', () => ({ user_id: '' }), 'a plain object with keys [user_id]'],
  ['{ user_id: null }', () => ({ user_id: null }), 'a plain object with keys [user_id]'],
  ['{ user_id: {} }', () => ({ user_id: {} }), 'a plain object with keys [user_id]'],
  ['{ user_id: NaN }', () => ({ user_id: Number.NaN }), 'a plain object with keys [user_id]'],
  ['{ userId: "alice" }', () => ({ userId: 'alice' }), 'a plain object with keys [userId]'],
  ['{ id: 1 }', () => ({ id: 1 }), 'a plain object with keys [id]'],
  ['a class instance', () => new Grant(), 'an instance of Grant'],
  ['a Map', () => new Map([['user_id', 'alice']]), 'an instance of Map'],
  ['a Date', () => new Date(0), 'an instance of Date'],
  ['a RegExp', () => /allow/, 'an instance of RegExp'],
  ['a boxed Boolean', () => new Boolean(true), 'an instance of Boolean'],
  ['an array', () => [true], 'an array'],
  ['an empty array', () => [], 'an array'],
  ['a string', () => 'yes', 'string'],
  ['an empty string', () => '', 'string'],
  ['"true"', () => 'true', 'string'],
  ['a number', () => 1, 'number'],
  ['zero', () => 0, 'number'],
  ['a bigint', () => 1n, 'bigint'],
  ['a function', () => () => true, 'function'],
  ['a symbol', () => Symbol('allow'), 'symbol'],
  ['null', () => null, 'null'],
  ['undefined', () => undefined, 'undefined'],
  ['{ catch }', () => ({ catch: () => rejected }), 'a plain object with keys [catch]'],
  ['a Promise object (sync)', () => ({ value: rejected }), 'a plain object with keys [value]'],
]

/** Values only one kind of channel refuses (the other kind documents them). */
const PRESENCE_ONLY: typeof ODD = [
  ['true (presence)', () => true, 'boolean true'],
  ['{ events: [] } (presence)', () => ({ events: [] }), 'a plain object with keys [events]'],
  [
    '{ user_id, user_info: "x" } (presence)',
    () => ({ user_id: 'alice', user_info: 'x' }),
    'string',
  ],
]
const PRIVATE_ONLY: typeof ODD = [
  [
    '{ user_id: "alice" } (private)',
    () => ({ user_id: 'alice' }),
    'a plain object with keys [user_id]',
  ],
]

type Mode = 'sync' | 'async'

function server(value: () => unknown, mode: Mode) {
  const result = () => (mode === 'sync' ? value() : Promise.resolve().then(value))
  return createPresenceServer({
    signer,
    session: bearerSessions(),
    debug: true,
    userData: (() => result()) as never,
    channels: {
      'private-doc-{id}': (() => result()) as never,
      'private-encrypted-doc-{id}': (() => result()) as never,
      'presence-room-{id}': (() => result()) as never,
    },
  })
}

async function expectInvalid(response: Response, type: string, shapes: RegExp) {
  expect(response.status).toBe(500)
  const text = await response.text()
  expect(text).not.toContain('"auth"')
  const body = JSON.parse(text)
  expect(body.error.code).toBe('INVALID_AUTHORIZER_RESULT')
  expect(body.error.message).toContain(`returned ${type}`)
  expect(body.error.message).toMatch(shapes)
}

const PRIVATE_SHAPES = /true or \{ events: \[\.\.\.\] \}/
const PRESENCE_SHAPES = /\{ user_id: string \| number, user_info\?: object \}/

describe('authorizer results are read strictly', () => {
  for (const mode of ['sync', 'async'] as const) {
    describe(mode, () => {
      for (const [label, value, type] of [...ODD, ...PRIVATE_ONLY]) {
        it(`auth + batch: private channels refuse ${label}`, async () => {
          const presence = server(value, mode)
          for (const channel of ['private-doc-1', 'private-encrypted-doc-1']) {
            const response = await presence.handlers.auth(
              post('/auth', form({ socket_id: '1.2', channel_name: channel }), ALICE),
            )
            await expectInvalid(response, type, PRIVATE_SHAPES)
          }
          const batch = await presence.handlers.batch(
            post('/batch', JSON.stringify({ socket_id: '1.2', channels: ['private-doc-1'] }), {
              ...ALICE,
              'content-type': 'application/json',
            }),
          )
          expect(batch.status).toBe(200)
          const entry = (await batch.json())['private-doc-1']
          expect(entry.auth).toBeUndefined()
          expect(entry.error).toMatchObject({ code: 'INVALID_AUTHORIZER_RESULT', status: 500 })
          expect(entry.error.message).toContain(`returned ${type}`)
        })
      }
      for (const [label, value, type] of [...ODD, ...PRESENCE_ONLY]) {
        it(`auth + batch: presence channels refuse ${label}`, async () => {
          const presence = server(value, mode)
          const response = await presence.handlers.auth(
            post('/auth', form({ socket_id: '1.2', channel_name: 'presence-room-1' }), ALICE),
          )
          await expectInvalid(response, type, PRESENCE_SHAPES)
          const batch = await presence.handlers.batch(
            post('/batch', form({ socket_id: '1.2', 'channel_name[0]': 'presence-room-1' }), ALICE),
          )
          const entry = (await batch.json())['presence-room-1']
          expect(entry).toMatchObject({
            status: 500,
            data: { error: { code: 'INVALID_AUTHORIZER_RESULT' } },
          })
          expect(JSON.stringify(entry)).not.toContain('channel_data')
        })
      }
      for (const [label, value, type] of ODD) {
        it(`userAuth refuses userData returning ${label}`, async () => {
          const presence = server(value, mode)
          const response = await presence.handlers.userAuth(
            post('/user', form({ socket_id: '1.2' }), ALICE),
          )
          expect(response.status).toBe(500)
          const body = await response.json()
          expect(body.auth).toBeUndefined()
          expect(body.error.code).toBe('INVALID_AUTHORIZER_RESULT')
          expect(body.error.message).toContain(`returned ${type}`)
          expect(body.error.message).toContain('{ id: string, ...fields }')
        })
      }
    })
  }

  it('allows the documented shapes, with extra keys next to valid ones', () => {
    expect(interpretResult(true, 'private', 'a')).toEqual({})
    expect(interpretResult({ events: [], note: 1 }, 'private', 'a')).toEqual({})
    const events = [{ event: 'e', data: 1 }]
    expect(interpretResult({ events }, 'private-encrypted', 'a')).toEqual({ events })
    expect(interpretResult({ user_id: 'u', extra: 1 }, 'presence', 'a')).toEqual({
      member: { user_id: 'u', user_info: {} },
    })
    expect(interpretResult({ user_id: 42, user_info: { n: 1 } }, 'presence', 'a')).toEqual({
      member: { user_id: '42', user_info: { n: 1 } },
    })
  })

  it('refuses false and deny(...) with their codes, never INVALID_AUTHORIZER_RESULT', () => {
    for (const type of ['private', 'presence'] as const) {
      expect(interpretResult(false, type, 'a')).toMatchObject({ code: 'CHANNEL_FORBIDDEN' })
      expect(interpretResult(deny('USER_MISMATCH'), type, 'a')).toMatchObject({
        code: 'USER_MISMATCH',
      })
    }
  })

  it('has at least 30 odd results in its table', () => {
    expect(ODD.length).toBeGreaterThanOrEqual(30)
    expect(describeValue(new (class Foo {})())).toBe('an instance of Foo')
  })
})
