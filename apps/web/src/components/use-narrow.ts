/** Narrow windows (phones, split screens: under Mantine's `sm`, 48em): tables become cards, the stepper turns vertical. */
import { useMediaQuery } from '@mantine/hooks';

export const NARROW_QUERY = '(max-width: 47.99em)';

export const useNarrow = (): boolean => useMediaQuery(NARROW_QUERY) ?? false;
