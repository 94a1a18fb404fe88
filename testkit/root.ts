import { fileURLToPath } from 'node:url';

/** The repository's root, where `npm start` and the Remote Script live. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));
