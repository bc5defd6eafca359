/** What every stored username matches (ADMIN_USERNAME and POST /users refuse anything else). */
export const USERNAME_PATTERN = /^[a-zA-Z0-9_.-]{3,64}$/;

/**
 * The one spelling of a username that login compares, counts failures by, and that user
 * creation stores: NFKC (full-width letters become ASCII), then JavaScript's lower case. The
 * database compares `lower(username)` with this key only when the key is plain ASCII, where
 * both lower cases agree: Postgres folds `İ` (U+0130) to `i`, JavaScript to `i̇`, so a key
 * outside ASCII (which no stored username can equal) is never looked up there.
 */
export function usernameKey(username: string): string {
  return username.normalize('NFKC').toLowerCase();
}

/** Whether a key can belong to a stored username at all. */
export function isStorableUsernameKey(key: string): boolean {
  return USERNAME_PATTERN.test(key);
}
