// Re-exports of node:path and node:url helpers so framework modules import one place.
export { dirname, join, relative, resolve, sep as SEPARATOR } from "node:path";
import { pathToFileURL } from "node:url";
export const toFileUrl = (p: string) => pathToFileURL(p);
