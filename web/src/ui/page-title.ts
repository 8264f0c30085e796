// Each page names its browser tab (and its entry in the history) after itself: "Search · STING", a jar's name.
import { useEffect } from 'react';

const APP_NAME = 'STING';

/** Titles the tab while the page is shown; a page that names none leaves the app's name. */
export function usePageTitle(name: string) {
  useEffect(() => {
    document.title = `${name} · ${APP_NAME}`;
    return () => {
      document.title = APP_NAME;
    };
  }, [name]);
}
