import type { ComponentType, JSX, VNode } from "preact";
import type { RequestInfo } from "./client_info.ts";

/** The request context handed to handlers, middlewares and (as props) to pages. */
export interface Context<State = Record<string, unknown>> {
  /** The request; a middleware may replace it (bodyLimit() does, to count the body's bytes). */
  req: Request;
  url: URL;
  /** The connection's peer and the client's address (forwarded only by trusted proxies). */
  info: RequestInfo;
  params: Record<string, string>;
  state: State;
  /**
   * The CSP sources allowing the inline scripts and styles of the page being answered (set when
   * a page is rendered or served from the cache; csp() announces them); null: none allowed.
   */
  inlineHashes: InlineHashes | null;
  /**
   * The route pattern that matched, e.g. "/shop/:slug"; null before routing and for 404s;
   * "static" for static files and island bundles.
   */
  route: string | null;
  /** The parsed form body of an unsafe form request (already read by the csrf() part). */
  form: FormData | null;
  /** Renders the matched page with the given data. */
  render(data?: unknown, init?: ResponseInit): Promise<Response>;
  /** In a middleware: runs the rest of the chain. */
  next(): Promise<Response>;
  /** A token for hidden `_csrf` form fields (sets the CSRF cookie when needed); csrf() gives it. */
  csrfToken(): Promise<string>;
  /**
   * A redirect (303 by default) to a path on this site. The one open-redirect guard: anything
   * that is not a same-origin path after normalisation ("//evil", "/\\evil", "/\t/evil",
   * "https://evil", control characters) goes to `fallback` ("/") instead.
   */
  redirect(path: string | null | undefined, status?: number, fallback?: string): Response;
  /** Adds a header to the final response (e.g. Set-Cookie from a handler that renders a page). */
  responseHeaders: Headers;
  /** The error being rendered, for `_error` pages. */
  error?: unknown;
}

/** A page's inline code as CSP sources: `'sha256-…'` of each, space-separated ("" for none). */
export interface InlineHashes {
  script: string;
  style: string;
  /**
   * The render's nonce: one per render (a cached page keeps its render's, so its bytes stay the
   * same for everyone), set on each of the document's script elements and named in the policy
   * beside the hashes, for user agents and scanners that look for a nonce on every script.
   */
  nonce?: string;
}

/** What a handler may return instead of a Response: data for the page. */
export interface PageResult<Data = unknown> {
  data?: Data;
  status?: number;
  headers?: HeadersInit;
}

export type HandlerFn<Data = unknown, State = any> = (
  ctx: Context<State>,
) => Response | PageResult<Data> | Promise<Response | PageResult<Data>>;

export type Handlers<Data = unknown, State = any> = Partial<
  Record<"GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD", HandlerFn<Data, State>>
>;

export type Middleware<State = any> = (ctx: Context<State>) => Response | Promise<Response>;

export interface PageProps<Data = unknown, State = any> {
  data: Data;
  url: URL;
  params: Record<string, string>;
  state: State;
  route: string | null;
  error?: unknown;
  /** The status the page is rendered with (useful to `_error`). */
  status: number;
  /** In `_app` and `_layout`: the inner content. */
  Component: ComponentType<Record<string, never>>;
}

export interface RouteConfig {
  /** Render output depends only on the URL and the language: cache it for anonymous visitors. */
  cache?: boolean;
  skipAppWrapper?: boolean;
  skipInheritedLayouts?: boolean;
}

export interface RouteModule {
  default?: ComponentType<PageProps<any, any>>;
  handler?: HandlerFn<any, any> | Handlers<any, any>;
  config?: RouteConfig;
}

export type { JSX, VNode };
