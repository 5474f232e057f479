/**
 * The extension's UI (the action popup, also openable as a tab): renders the service worker's
 * {@link WatchView} and edits the token and session id in `chrome.storage.local`.
 * @module
 */
import { STORAGE_KEYS, VIEW_KEY, type WatchView } from '../shared/protocol.js'

function field(id: string): HTMLElement {
  const element = document.getElementById(id)
  if (!element) throw new Error(`popup.html lacks #${id}`)
  return element
}

const MODE_LABEL: Record<WatchView['mode'], string> = {
  idle: 'No session selected',
  connecting: 'Connecting…',
  live: 'Live',
  polling: 'Falling back to polling',
}

function render(view: WatchView | undefined) {
  const root = document.body
  if (!view) {
    root.dataset.mode = 'idle'
    field('mode').textContent = 'Waiting for the service worker…'
    return
  }
  root.dataset.mode = view.mode
  field('mode').textContent = MODE_LABEL[view.mode]
  field('channel').textContent = view.channel ?? '—'
  field('connection').textContent = view.connection
  field('token').textContent = view.hasToken ? 'Bearer token set' : 'no token'
  field('code').textContent = view.refusal ? view.refusal.code : ''
  field('http-status').textContent = view.refusal ? String(view.refusal.status) : ''
  field('message').textContent = view.refusal?.message ?? ''
  field('title').textContent = view.session?.title ?? '—'
  field('status').textContent = view.session?.status ?? '—'
  field('version').textContent = view.session ? String(view.session.version) : '—'
  field('source').textContent = view.source ?? '—'
  field('events').textContent = String(view.events)
  field('polls').textContent = String(view.poll.count)
  field('poll-status').textContent =
    view.poll.lastStatus === null ? '—' : `${view.poll.lastStatus} ${view.poll.lastCode ?? 'OK'}`
}

async function main() {
  const stored = await chrome.storage.local.get([STORAGE_KEYS.accessToken, STORAGE_KEYS.sessionId])
  const tokenInput = field('token-input') as HTMLInputElement
  const sessionInput = field('session-input') as HTMLInputElement
  tokenInput.value = String(stored[STORAGE_KEYS.accessToken] ?? '')
  sessionInput.value = String(stored[STORAGE_KEYS.sessionId] ?? '')
  field('settings').addEventListener('submit', (event) => {
    event.preventDefault()
    void chrome.storage.local.set({
      [STORAGE_KEYS.accessToken]: tokenInput.value.trim(),
      [STORAGE_KEYS.sessionId]: sessionInput.value.trim(),
    })
  })

  chrome.storage.session.onChanged.addListener((changes) => {
    const change = changes[VIEW_KEY]
    if (change) render(change.newValue as WatchView | undefined)
  })
  const current = await chrome.storage.session.get(VIEW_KEY)
  render(current[VIEW_KEY] as WatchView | undefined)
}

void main()
