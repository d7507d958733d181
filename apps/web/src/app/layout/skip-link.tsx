/** "Skip to content": the first stop of the keyboard, visible when focused; it moves focus to the page's main region. */
import classes from './skip-link.module.css';

export const MAIN_ID = 'main-content';

export function SkipLink() {
  return (
    <a
      href={`#${MAIN_ID}`}
      className={classes.skip}
      data-testid="skip-link"
      onClick={(e) => {
        e.preventDefault();
        document.getElementById(MAIN_ID)?.focus();
      }}
    >
      Skip to content
    </a>
  );
}
