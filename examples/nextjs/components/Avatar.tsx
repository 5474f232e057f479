import type { DirectoryUser } from '@/lib/users'

const PALETTE = ['#2563eb', '#7c3aed', '#db2777', '#ea580c', '#0d9488', '#4f46e5', '#0891b2']

/** A stable color per name, so an avatar keeps its color across pages, reloads and databases. */
function colorOf(name: string): string {
  let hash = 0
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0
  return PALETTE[hash % PALETTE.length] ?? PALETTE[0]!
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/)
  return (
    (parts[0]?.[0] ?? '?') + (parts.length > 1 ? (parts.at(-1)?.[0] ?? '') : '')
  ).toUpperCase()
}

/** Props of {@link Avatar}. */
export interface AvatarProps {
  user: Pick<DirectoryUser, 'name' | 'image'>
  /** Shows the green presence dot. @default false */
  active?: boolean
  /** @default 'md' */
  size?: 'sm' | 'md' | 'lg'
}

/** The user's picture, or their initials on a color of their own, with a presence dot. */
export function Avatar({ user, active = false, size = 'md' }: AvatarProps) {
  return (
    <span className={`avatar avatar-${size}`} data-active={active} aria-hidden>
      {user.image ? (
        // A plain <img>, not next/image: avatars come from any host the auth provider names
        <img src={user.image} alt="" />
      ) : (
        <span className="initials" style={{ background: colorOf(user.name) }}>
          {initials(user.name)}
        </span>
      )}
    </span>
  )
}
