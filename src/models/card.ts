// A model's card: the README.md of its repo (hub or bundled), as the Models view shows it. Only the text
// work lives here: the YAML front matter the hub reads is dropped, and the card's relative links and
// images ("memoir-overlap.svg") point into the model's own repo.
import { fileUrl, type ModelSource } from './hub';

const FRONT_MATTER = /^---\r?\n[\s\S]*?\r?\n---[ \t]*(\r?\n|$)/;

/** The card without its front matter. */
export function cardBody(markdown: string): string {
  return markdown.replace(FRONT_MATTER, '');
}

/** Where the page must load a URL of `source`'s card from: a relative one resolves in the model's repo;
 *  one with a scheme, a root path or a fragment is kept (the renderer still drops unsafe schemes). */
export function cardUrl(url: string, source: ModelSource): string {
  if (/^([a-z][a-z\d+.-]*:|\/|#)/i.test(url)) return url;
  return fileUrl(source, url.replace(/^\.\//, ''));
}
