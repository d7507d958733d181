/** "a, b, c, d, e and 995 more": at most `shown` names (five unless told), whatever the count. Pure. */
export const someNames = (names: string[], shown = 5) => `${names.slice(0, shown).join(', ')}${names.length > shown ? ` and ${names.length - shown} more` : ''}`;
