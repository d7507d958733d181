/** A rule's problem text (from @kpki/shared, lower case) as the forms show it: a sentence. */
export const asSentence = (problem: string | null): string | null => (problem ? `${problem.charAt(0).toUpperCase()}${problem.slice(1)}.` : null);
